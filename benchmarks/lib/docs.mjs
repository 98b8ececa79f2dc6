// Writes the results into docs/benchmarks.md, between two markers, so the prose
// around them is kept when the results are refreshed.
import { writeSection } from './sections.mjs';

const START = '<!-- bench:results:start (written by `BENCH_WRITE=1 npm run bench`) -->';
const END = '<!-- bench:results:end -->';

const INTRO = `# Benchmarks

How much does putting cloudlab's fault proxy in front of a dependency cost? \`npm run bench\`
answers on loopback, comparing four paths to the same upstream in one run:

- **direct**: the client talks to the upstream server itself;
- **bare socket.pipe() proxy**: a Node TCP proxy of a dozen lines (\`client.pipe(upstream)\` both
  ways), the least any Node proxy costs, and the yardstick for the targets;
- **cloudlab, no toxic**: a proxy created through the Toxiproxy admin API, no toxic;
- **cloudlab, latency 0 ms**: the same with a \`latency\` toxic of 0 ms (downstream, Toxiproxy's
  default), so every chunk goes through the toxic pipeline.

Two tests run on each path:

- **HTTP keep-alive**: autocannon (programmatic API) with 50 connections against a small
  \`node:http\` server; requests per second, median (p50) and p99 latency, from the time of
  every response (autocannon's own histogram has 1 ms steps, too coarse here);
- **bulk**: a TCP source writes 1 GiB, a sink counts it; MB/s, with MB = 10^6 bytes.

The machine has few cores shared by the client, the proxy and the server, so each runs in its
own process with its own event loop: the upstream servers in one child process, the bare pipe
in another, cloudlab in a third, autocannon and the bulk sink in the main process.

Other work on the machine comes and goes, so the order of the runs matters as much as their
length. Each round visits the four paths there and back (A B C D D C B A), first for the HTTP
test, with a warm-up before a path's first visit, then for the bulk test; the next round
starts from the next path. A figure in the table is the median of all a path's runs; a ratio
to the bare pipe is taken within each round, where the there-and-back order keeps the runs
compared close in time, and the table gives the median over rounds. Every run is listed below
the table. Beside the client's figures stands the proxy process's own CPU time per request and
per GiB, read from the child with \`process.cpuUsage()\`: it moves less with the noise of a
shared machine than throughput does.

## Targets

Against the bare pipe: cloudlab with no toxic keeps at least 90% of its requests per second
and bulk throughput and adds at most 10% to its median latency; with a 0 ms latency toxic it
keeps at least 75% of both. The bench prints PASS or FAIL for each, and exits 0 either way.

## Running it

\`\`\`sh
npm run bench                                    # full run: about six minutes
npm run bench -- --write                         # the same, and refresh the results below
BENCH_DURATION_S=2 BENCH_BULK_MB=64 BENCH_ROUNDS=1 npm run bench   # a quick look
\`\`\`

| variable | meaning | default |
|---|---|---|
| \`BENCH_DURATION_S\` | seconds of load per HTTP run | 10 |
| \`BENCH_WARMUP_S\` | seconds of warm-up before each HTTP run | 1 |
| \`BENCH_BULK_MB\` | MiB per bulk transfer | 1024 |
| \`BENCH_ROUNDS\` | rounds over the four paths (two runs of each test per path per round) | 3 |
| \`BENCH_CONNECTIONS\` | autocannon connections | 50 |
| \`BENCH_WRITE=1\` | same as \`--write\` | off |
| \`BENCH_CPU_PROF=DIR\` | write V8 CPU profiles (\`--cpu-prof\`) of the two proxy processes into DIR | off |

Progress goes to stderr (one redrawn line on a terminal, plain lines otherwise), the table to
stdout. Compare ratios from one run, not figures across machines.

On a small machine that is doing other work, loopback figures swing far more than the
differences being measured (single runs of one path by a factor of two on a busy 2-core
machine). Read a verdict within about 15 points of its threshold as "too close to call" and
run again on a quiet machine; the proxy CPU columns help tell the proxy's cost from the noise.
`;

/** Replaces the results between the markers, or writes the whole file when it has none. */
export function writeResults(fileUrl, section) {
  return writeSection(fileUrl, { start: START, end: END, heading: '## Results', intro: INTRO }, section);
}
