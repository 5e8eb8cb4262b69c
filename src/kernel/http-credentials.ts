// Credentials in request headers, read one way everywhere: `Authorization: Bearer <token>`, or a staff key in `X-API-Key`.

/** Request headers as Fastify (node:http) gives them. */
type Headers = Record<string, string | string[] | undefined>;

/** The token of `Authorization: Bearer <token>`; undefined when absent or another scheme. */
export function bearerToken(headers: Headers): string | undefined {
  const authorization = headers['authorization'];
  return /^Bearer\s+(\S+)\s*$/i.exec(typeof authorization === 'string' ? authorization : '')?.[1];
}

/** A staff API key: the bearer token, else the `X-API-Key` header (trimmed). */
export function staffApiKey(headers: Headers): string | undefined {
  const bearer = bearerToken(headers);
  if (bearer) return bearer;
  const header = headers['x-api-key'];
  const key = Array.isArray(header) ? header[0] : header;
  return key?.trim() || undefined;
}
