// The one tokeniser of the offline search: the build indexes with it and the page queries with it.
// Intl.Segmenter splits every script into words, Chinese and Japanese included, so "闭包" is found
// in a lesson that never puts spaces around it. Without Intl.Segmenter, it splits on spaces and punctuation.
(function (scope) {
  'use strict';
  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'word' }) : null;
  scope.coursebookTokenize = function (text) {
    if (!segmenter) return text.split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
    var tokens = [];
    for (var part of segmenter.segment(text)) if (part.isWordLike) tokens.push(part.segment);
    return tokens;
  };
})(typeof window !== 'undefined' ? window : globalThis);
