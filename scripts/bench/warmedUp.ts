/** A bench of a server, warmed up; closed again when the warm-up fails, so that no server process is left running. */
export async function warmedUp<B extends { close(): Promise<void> }>(
  bench: B,
  warmUp: (bench: B) => Promise<void>,
): Promise<B> {
  try {
    await warmUp(bench);
  } catch (err) {
    await bench.close();
    throw err;
  }
  return bench;
}
