// Offline full-text search over a prebuilt MiniSearch index (assets/search-index.js).
// Reading never depends on this script: the search form stays hidden when it does not run.
(() => {
  var data = window.COURSEBOOK_SEARCH;
  var form = document.querySelector('form.search');
  if (!data || !form || typeof MiniSearch === 'undefined' || !window.coursebookTokenize) return;
  var root = document.documentElement.getAttribute('data-root') || '';
  var options = Object.assign({}, data.options, { tokenize: window.coursebookTokenize });
  var shards = data.shards.map((shard) => MiniSearch.loadJS(shard, options));
  var index = {
    search: (query, options) => {
      var hits = [];
      shards.forEach((shard) => {
        hits = hits.concat(shard.search(query, options));
      });
      return hits.sort((a, b) => b.score - a.score);
    },
  };
  var input = form.querySelector('input');
  var list = form.querySelector('.search-results');
  form.hidden = false;

  function render(query) {
    list.textContent = '';
    if (query.trim().length < 2) return;
    var hits = index.search(query, { prefix: true, fuzzy: 0.15, boost: { title: 3, headings: 2 } }).slice(0, 8);
    if (hits.length === 0) {
      const none = document.createElement('li');
      none.className = 'search-empty';
      none.textContent = (form.getAttribute('data-no-results') || '{query}').replace('{query}', query);
      list.appendChild(none);
      return;
    }
    hits.forEach((hit) => {
      var doc = data.docs[hit.id];
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = root + doc.href;
      var id = document.createElement('span');
      id.className = 'search-id';
      id.textContent = doc.lesson;
      var title = document.createElement('span');
      title.className = 'search-title';
      title.textContent = doc.title;
      link.appendChild(id);
      link.appendChild(title);
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  input.addEventListener('input', () => {
    render(input.value);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    var first = list.querySelector('a');
    if (first) window.location.href = first.href;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && document.activeElement !== input) {
      event.preventDefault();
      input.focus();
    }
    if (event.key === 'Escape') {
      input.value = '';
      render('');
      input.blur();
    }
  });
})();
