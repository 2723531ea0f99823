import { distance } from 'fastest-levenshtein';

/** Words of an anchor: `wrapping-functions-apply` → wrapping, functions, apply. */
const tokensOf = (anchor: string): string[] =>
  anchor
    .toLowerCase()
    .split(/[-_.:\s]+/)
    .filter(Boolean);

/**
 * How alike a written anchor and an existing one are: the share of the written anchor's words the
 * candidate has, whether one contains the other, and how few edits turn one into the other.
 * Note: words count most, so `#proxy-apply` ranks `#wrapping-functions-apply-proxy-apply` (all
 * words, and containing it) above `#proxy` (one word, and contained in it).
 */
function likeness(written: string, candidate: string): number {
  const words = tokensOf(written);
  const candidateWords = new Set(tokensOf(candidate));
  const overlap = words.length === 0 ? 0 : words.filter((word) => candidateWords.has(word)).length / words.length;
  const substring = candidate.includes(written) ? 1 : written.includes(candidate) ? 0.5 : 0;
  const similarity = 1 - distance(written, candidate) / Math.max(written.length, candidate.length, 1);
  return overlap * 2 + substring + similarity;
}

/**
 * The existing anchors most like a written one, best first, at most `limit`.
 * Note: a candidate must share a word, contain (or be contained in) the written anchor, or be
 * within a few edits of it; otherwise nothing is suggested.
 * @param written the anchor as the link writes it, without `#`
 * @param candidates the anchors that exist
 * @param limit how many to return
 */
export function closestAnchors(written: string, candidates: readonly string[], limit = 3): string[] {
  const words = new Set(tokensOf(written));
  const near = (candidate: string): boolean =>
    tokensOf(candidate).some((word) => words.has(word)) || candidate.includes(written) || written.includes(candidate) || distance(written, candidate) <= Math.max(2, Math.floor(written.length / 3));
  return [...new Set(candidates)]
    .filter(near)
    .map((candidate) => ({ candidate, score: likeness(written, candidate) }))
    .sort((a, b) => b.score - a.score || (a.candidate < b.candidate ? -1 : 1))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/**
 * Joins anchors for a message: `#a`, `#a or #b`, `#a, #b or #c`.
 * @param anchors anchors without `#`
 */
export function anchorList(anchors: readonly string[]): string {
  const marked = anchors.map((anchor) => `#${anchor}`);
  return marked.length <= 1 ? (marked[0] ?? '') : `${marked.slice(0, -1).join(', ')} or ${marked.at(-1)}`;
}
