// The one tokeniser of the offline search: the build indexes with it and the page queries with it.
// Text is split at spaces and punctuation; words in scripts written without spaces (Chinese,
// Japanese, Thai, Khmer, …) are then split with Intl.Segmenter, so "闭包" is found in a lesson that
// never puts spaces around it. Each piece is segmented on its own: ICU is slow on long texts.
((scope) => {
  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
  var unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
  scope.coursebookTokenize = (text) => {
    var tokens = [];
    text.split(/[\s\p{P}\p{S}]+/u).forEach((piece) => {
      if (!piece) return;
      if (!segmenter || !unspaced.test(piece)) {
        tokens.push(piece);
        return;
      }
      for (var part of segmenter.segment(piece)) if (part.isWordLike) tokens.push(part.segment);
    });
    return tokens;
  };
})(typeof window !== 'undefined' ? window : globalThis);
