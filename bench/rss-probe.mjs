// Preloaded into the measured process (node --import): writes its peak RSS when it exits.
import { writeFileSync } from 'node:fs';

const target = process.env.COURSEBOOK_BENCH_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS * 1024)));
