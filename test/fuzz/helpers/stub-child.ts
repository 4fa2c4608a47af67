// A misbehaving stand-in for scripts/fuzz-child.ts: case 1 hangs, case 2 exits, case 3 exhausts
// its JS heap, case 4 holds 600 MiB of buffers; every other case succeeds at once.
process.on('message', (message: { corpus?: unknown; index?: number }) => {
  if (message.corpus !== undefined) {
    process.send!({ ready: true });
    return;
  }
  const index = message.index!;
  if (index === 1) while (true);
  if (index === 2) process.exit(3);
  if (index === 3) {
    const hoard: number[][] = [];
    while (true) hoard.push(new Array<number>(1e5).fill(index));
  }
  if (index === 4) {
    const held = Buffer.alloc(600 * 2 ** 20, 1);
    setTimeout(() => held.length, 60_000);
    return;
  }
  process.send!({ result: { index, model: 'stub', kind: 'none', outcome: 'ok', passed: [] }, maxRssBytes: 0 });
});
