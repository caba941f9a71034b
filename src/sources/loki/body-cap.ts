/** The parts of got's request promise the cap needs. */
interface CancellableRequest {
  on(event: 'response', listener: (response: { headers: Record<string, string | string[] | undefined> }) => void): unknown;
  on(event: 'downloadProgress', listener: (progress: { transferred: number }) => void): unknown;
  cancel(): void;
}

/**
 * Cancels a request whose body would exceed `limitBytes`: at once when Content-Length says so,
 * else as soon as that many (decompressed) bytes have arrived, so memory never holds more than
 * about the limit. Returns a check: did the cap end the request?
 */
export function capResponse(request: CancellableRequest, limitBytes: number): () => boolean {
  let tripped = false;
  const trip = (): void => {
    if (tripped) return;
    tripped = true;
    request.cancel();
  };
  request.on('response', (response) => {
    const length = Number(response.headers['content-length']);
    // A compressed body's length says nothing of its size once inflated; that is left to the count.
    if (Number.isFinite(length) && length > limitBytes && !response.headers['content-encoding']) trip();
  });
  request.on('downloadProgress', (progress) => {
    if (progress.transferred > limitBytes) trip();
  });
  return () => tripped;
}
