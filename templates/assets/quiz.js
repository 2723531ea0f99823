/* Coursebook quizzes: turns each quiz's lettered options into choices and checks the answer, offline.
   Loaded only on pages with a quiz. Without it, a quiz reads as a list with its answer in <details>. */
(() => {
  document.querySelectorAll('section.quiz').forEach((quiz) => {
    var list = quiz.querySelector('ol.quiz-options');
    var answer = quiz.querySelector('details.quiz-answer');
    if (!list || !answer) return;
    var multiple = quiz.getAttribute('data-multiple') === 'true';
    var name = `choice-${quiz.id}`;
    var options = Array.prototype.slice.call(list.children);
    options.forEach((option, index) => {
      var input = document.createElement('input');
      input.type = multiple ? 'checkbox' : 'radio';
      input.name = name;
      input.value = String(index);
      input.id = `${name}-${index}`;
      var label = document.createElement('label');
      label.htmlFor = input.id;
      while (option.firstChild) label.appendChild(option.firstChild);
      option.appendChild(input);
      option.appendChild(label);
    });
    var group = document.createElement('div');
    group.setAttribute('role', 'group');
    var question = quiz.querySelector('.quiz-question');
    if (question) {
      question.id = question.id || `${quiz.id}-question`;
      group.setAttribute('aria-labelledby', question.id);
    }
    list.parentNode.insertBefore(group, list);
    group.appendChild(list);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'quiz-check';
    button.textContent = quiz.getAttribute('data-check-label') || 'Check';
    var feedback = document.createElement('p');
    feedback.className = 'quiz-feedback';
    feedback.setAttribute('role', 'status');
    group.after(button, feedback);
    button.addEventListener('click', () => {
      var right = true;
      var chosen = false;
      options.forEach((option, _index) => {
        var input = option.querySelector('input');
        var correct = option.hasAttribute('data-correct');
        chosen = chosen || input.checked;
        if (input.checked !== correct) right = false;
        option.classList.toggle('is-chosen-wrong', input.checked && !correct);
      });
      if (!chosen) return;
      quiz.classList.toggle('is-right', right);
      feedback.textContent = quiz.getAttribute(right ? 'data-right-label' : 'data-wrong-label') || '';
      if (right) answer.open = true;
      // The SCORM runtime (and any other listener) learns of each checked answer.
      quiz.dispatchEvent(new CustomEvent('coursebook:quiz', { bubbles: true, detail: { id: quiz.id, right: right } }));
    });
  });
})();
