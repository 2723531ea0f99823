/* Coursebook SCORM runtime: finds the LMS's API (SCORM 1.2 `API` or 2004 `API_1484_11`) through
   parent and opener windows, reports the lesson completed once its end is in view, and reports the
   score of its quizzes as they are checked. Without an LMS it does nothing, and it never throws. */
(function () {
  'use strict';
  var version = document.documentElement.getAttribute('data-scorm') === '2004' ? '2004' : '1.2';
  var apiName = version === '2004' ? 'API_1484_11' : 'API';

  // The ADL lookup: climb the parent chain (at most 500 steps), then try the opener's.
  function climb(win) {
    for (var steps = 0; win && steps < 500; steps++) {
      try {
        if (win[apiName]) return win[apiName];
      } catch (error) {
        return null; // A cross-origin frame: the API cannot be there for us.
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }
  function findApi() {
    var api = climb(window);
    if (!api) {
      try {
        if (window.top && window.top.opener) api = climb(window.top.opener);
      } catch (error) {
        api = null;
      }
    }
    return api;
  }

  var calls = version === '2004'
    ? { init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate' }
    : { init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish' };
  var api = null;
  var finished = false;
  function call(name, a, b) {
    try {
      if (!api || finished) return '';
      return b === undefined ? api[calls[name]](a) : api[calls[name]](a, b);
    } catch (error) {
      return '';
    }
  }

  function start() {
    api = findApi();
    if (!api || String(call('init', '')) !== 'true') {
      api = null;
      return;
    }
    var status = version === '2004' ? 'cmi.completion_status' : 'cmi.core.lesson_status';
    var current = String(call('get', status));
    if (current === 'not attempted' || current === 'unknown' || current === '') call('set', status, 'incomplete');
    call('commit', '');
    watchEnd();
    watchQuizzes();
    window.addEventListener('pagehide', finish);
  }

  var completed = false;
  function complete() {
    if (completed || !api) return;
    completed = true;
    if (version === '2004') call('set', 'cmi.completion_status', 'completed');
    else if (String(call('get', 'cmi.core.lesson_status')) !== 'passed') call('set', 'cmi.core.lesson_status', 'completed');
    call('commit', '');
  }

  function watchEnd() {
    var end = document.querySelector('[data-lesson-end]');
    if (!end) return;
    if (typeof IntersectionObserver !== 'function') {
      window.addEventListener('scroll', function () {
        if (end.getBoundingClientRect().top <= window.innerHeight + 48) complete();
      });
      return;
    }
    function seen(entries) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting) {
          observer.disconnect();
          complete();
        }
      }
    }
    // The marker is empty and last: within 48px of this page's viewport counts, since rounding can
    // leave it just below the furthest scroll. The root is the document, so that the margin applies
    // inside the LMS's frame too (older browsers take no document root).
    var observer;
    try {
      observer = new IntersectionObserver(seen, { root: document, rootMargin: '0px 0px 48px 0px' });
    } catch (error) {
      observer = new IntersectionObserver(seen, { rootMargin: '0px 0px 48px 0px' });
    }
    observer.observe(end);
  }

  // quiz.js announces each check with a `coursebook:quiz` event; the latest answer to each counts.
  function watchQuizzes() {
    var quizzes = document.querySelectorAll('section.quiz');
    if (!quizzes.length) return;
    var results = {};
    document.addEventListener('coursebook:quiz', function (event) {
      var detail = event.detail || {};
      results[detail.id] = detail.right === true;
      var right = 0;
      for (var id in results) if (results[id]) right++;
      var total = quizzes.length;
      if (version === '2004') {
        call('set', 'cmi.score.min', '0');
        call('set', 'cmi.score.max', String(total));
        call('set', 'cmi.score.raw', String(right));
        call('set', 'cmi.score.scaled', String(Math.round((right / total) * 10000) / 10000));
      } else {
        call('set', 'cmi.core.score.min', '0');
        call('set', 'cmi.core.score.max', '100');
        call('set', 'cmi.core.score.raw', String(Math.round((right / total) * 100)));
      }
      call('commit', '');
    });
  }

  function finish() {
    if (!api || finished) return;
    call('commit', '');
    call('finish', '');
    finished = true;
  }

  try {
    start();
  } catch (error) {
    api = null;
  }
})();
