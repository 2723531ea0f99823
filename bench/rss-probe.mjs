// Preloaded into the measured process (node --import): writes its peak RSS (bytes) and CPU time
// (user and system, microseconds) when it exits.
import { writeFileSync } from 'node:fs';

const target = process.env.COURSEBOOK_BENCH_RSS_FILE;
if (target)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(target, `${usage.maxRSS * 1024} ${usage.userCPUTime + usage.systemCPUTime}`);
  });
