// JPKI's public HTTP routes: the CA certificates (/jpki/ca/sign.cer, /jpki/ca/auth.cer), DER.
import type { FastifyPluginAsync } from 'fastify';
import type { JpkiService } from '../contract.ts';

/** Registered under /jpki. CA certificates are public: relying parties need them as trust anchors. */
export const jpkiRoutes: FastifyPluginAsync<{ jpki: JpkiService }> = async (app, { jpki }) => {
  for (const kind of ['sign', 'auth'] as const) {
    app.get(`/ca/${kind}.cer`, {
      schema: {
        summary: kind === 'sign' ? '署名用認証局の証明書（DER、発行中の世代）' : '利用者証明用認証局の証明書（DER、発行中の世代）',
        tags: ['jpki'],
        security: [],
        produces: ['application/pkix-cert'],
      },
    }, async (_request, reply) => {
      const ca = await jpki.issuingCa(kind);
      return reply.type('application/pkix-cert').header('content-disposition', `attachment; filename="${kind}.cer"`).send(Buffer.from(ca.certificate));
    });
  }
};
