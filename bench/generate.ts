import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A small deterministic pseudo-random generator (mulberry32), so every run writes the same course. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const vocabulary = (
  'replica leader follower quorum shard partition consensus ledger request latency throughput cluster node ' +
  'network message failure timeout retry lease token commit log snapshot term election heartbeat write read ' +
  'consistency availability durability system service client server storage index query cache queue stream ' +
  'the a of to and in that is for on with as by it this be are from at or an which when each every its their ' +
  'because while after before until unless only also never always often rarely between across through within'
).split(' ');

const diagrams = [
  'flowchart LR\n  C["Client"] --> L["Leader"]\n  L --> F1["Follower 1"]\n  L --> F2["Follower 2"]',
  'sequenceDiagram\n  participant A\n  participant B\n  A->>B: request\n  B-->>A: response',
  'flowchart TD\n  W["Write"] --> Q{"Quorum?"}\n  Q -->|yes| OK["Commit"]\n  Q -->|no| R["Retry"]',
  'stateDiagram-v2\n  [*] --> Follower\n  Follower --> Candidate\n  Candidate --> Leader\n  Leader --> Follower',
  'flowchart LR\n  P["Producer"] --> K["Log"] --> S["Consumer"]',
];

function sentence(next: () => number): string {
  const length = 8 + Math.floor(next() * 14);
  const words = Array.from({ length }, () => vocabulary[Math.floor(next() * vocabulary.length)]!);
  words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
  return `${words.join(' ')}.`;
}

function paragraph(next: () => number, sentences = 5): string {
  return Array.from({ length: sentences }, () => sentence(next)).join(' ');
}

/**
 * Writes one synthetic lesson of about 1,600 prose words: headings, paragraphs, a code block, a
 * table, links to other lessons and their anchors, an image, and a diagram in every tenth lesson.
 */
function lesson(section: number, index: number, count: number, sectionDirs: string[], next: () => number): string {
  const parts: string[] = [];
  parts.push(
    `---\nlesson: "${section}.${index}"\ntitle: "Lesson ${section}.${index}: ${sentence(next).slice(0, 40).replace(/[.":]/g, '')}"\nsummary: ${sentence(next)}\ngroup: ${index <= Math.ceil(count / 2) ? 'Foundations' : 'Practice'}\nminutes: 7\n---\n`,
  );
  parts.push(paragraph(next, 6));
  for (let h = 1; h <= 6; h++) {
    parts.push(`## Topic ${h}`);
    parts.push(paragraph(next, 9));
    parts.push(`### Detail ${h}`);
    parts.push(paragraph(next, 8));
    if (h === 2)
      parts.push(
        '```ts\nexport function elect(term: number, votes: number[]): boolean {\n  const majority = Math.floor(votes.length / 2) + 1;\n  return votes.filter((v) => v === term).length >= majority;\n}\n```',
      );
    if (h === 3) parts.push('| Model | Reads | Writes |\n|:--|:-:|--:|\n| Linearizable | latest | ordered |\n| Causal | causal past | ordered per session |\n| Eventual | any | converge |');
    if (h === 4) {
      const other = index === 1 ? 2 : 1;
      const otherSection = sectionDirs[(sectionDirs.indexOf(sectionDirs[section - 1]!) + 1) % sectionDirs.length]!;
      parts.push(`See [lesson ${section}.${other}](./${String(other).padStart(2, '0')}-lesson.md#topic-2) and [the next section](../${otherSection}/01-lesson.md#detail-1).`);
    }
    if (h === 5) parts.push('![A diagram of a replicated log with three nodes](../images/figure.svg)');
  }
  if (index % 10 === 3) parts.push(`\`\`\`mermaid\n%% caption: Diagram for lesson ${section}.${index}\n${diagrams[(section + index) % diagrams.length]}\n\`\`\``);
  parts.push('## Key takeaways');
  parts.push(Array.from({ length: 5 }, () => `- ${sentence(next)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/**
 * Generates a course of `lessonCount` lessons in sections of 11 into `folder` (replacing it).
 * @param folder where to write the course (its content root)
 * @param lessonCount how many lessons in all
 */
export async function generateCourse(folder: string, lessonCount: number): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  const next = random(lessonCount);
  const perSection = 11;
  const sectionCount = Math.ceil(lessonCount / perSection);
  const sectionDirs = Array.from({ length: sectionCount }, (_, i) => `${String(i + 1).padStart(2, '0')}-section-${i + 1}`);
  await mkdir(path.join(folder, 'images'), { recursive: true });
  await writeFile(path.join(folder, 'course.yml'), `title: Benchmark course of ${lessonCount} lessons\nauthor: Coursebook Bench\nrules:\n  reading-time: off\n`);
  await writeFile(path.join(folder, 'images', 'figure.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#e9eefc"/></svg>\n');
  let written = 0;
  for (let s = 1; s <= sectionCount; s++) {
    const dir = path.join(folder, sectionDirs[s - 1]!);
    await mkdir(dir, { recursive: true });
    const count = Math.min(perSection, lessonCount - written);
    await writeFile(path.join(dir, 'section.md'), `---\nsection: ${s}\ntitle: Section ${s}\nsummary: ${sentence(next)}\ngroups: [Foundations, Practice]\n---\n\n${paragraph(next, 3)}\n`);
    for (let i = 1; i <= count; i++) await writeFile(path.join(dir, `${String(i).padStart(2, '0')}-lesson.md`), lesson(s, i, count, sectionDirs, next));
    written += count;
  }
}
