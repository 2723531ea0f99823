import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A minimal Hugo layout: each lesson's title, summary, table of contents and body, nothing else. */
const singleLayout = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
<p>{{ .Params.summary }}</p>
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
</main>
</body>
</html>
`;

/** Section and home pages: the title and a list of links, so Hugo has a layout for every kind. */
const listLayout = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body>
</html>
`;

const config = `baseURL = "http://localhost/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
[markup.goldmark.renderer]
  unsafe = false
`;

/**
 * Writes a Hugo site around a generated course's lessons: the same Markdown files, section by
 * section, with the image folder as static files.
 * @param content the generated course (bench/generate.ts)
 * @param site the Hugo site folder to (re)create
 */
export async function writeHugoSite(content: string, site: string): Promise<void> {
  await rm(site, { recursive: true, force: true });
  await mkdir(path.join(site, 'layouts', '_default'), { recursive: true });
  await writeFile(path.join(site, 'hugo.toml'), config);
  await writeFile(path.join(site, 'layouts', '_default', 'single.html'), singleLayout);
  await writeFile(path.join(site, 'layouts', '_default', 'list.html'), listLayout);
  await cp(path.join(content, 'images'), path.join(site, 'static', 'images'), { recursive: true });
  for (const section of (await readdir(content)).filter((name) => /^\d/.test(name))) {
    await mkdir(path.join(site, 'content', section), { recursive: true });
    for (const lesson of (await readdir(path.join(content, section))).filter((name) => /^\d.*\.md$/.test(name))) {
      await cp(path.join(content, section, lesson), path.join(site, 'content', section, lesson));
    }
  }
}
