// Waiting for the card or the centre: what is happening, in big type, with a spinner.
import { useEffect, useRef } from 'react';

export function BusyScreen({ message }: { message: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="screen busy" aria-busy="true" aria-labelledby="busy-title">
      <div className="spinner" aria-hidden="true" />
      <h1 id="busy-title" ref={heading} tabIndex={-1}>{message}</h1>
    </main>
  );
}
