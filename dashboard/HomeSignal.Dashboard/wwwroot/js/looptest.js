// Looptest: asks the dashboard for the walk test's state every second and copies its (server-made, Dutch) texts into
// the page. Without this script the page still works: every reload shows the same state.
(function () {
  const root = document.getElementById('looptest');
  if (!root) { return; }
  const url = root.dataset.source;
  const text = (el, value) => { if (el && el.textContent !== value) { el.textContent = value; } };
  const show = (el, visible) => { if (el) { el.hidden = !visible; } };
  async function refresh() {
    try {
      const response = await fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
      if (!response.ok) { return; }
      const v = await response.json();
      const known = Array.from(document.querySelectorAll('#stappen li[data-sensor]')).map(li => li.dataset.sensor).join(',');
      // A walk test that started, or a stage that changed, changes the page's shape: load it again.
      if (String(v.exists) !== root.dataset.exists || v.stage !== root.dataset.stage || v.steps.map(s => s.sensorId).join(',') !== known) {
        window.location.reload();
        return;
      }
      text(document.getElementById('verbinding'), v.connection);
      text(document.getElementById('samenvatting'), v.summary);
      const learning = document.getElementById('leren');
      text(learning, v.learning || '');
      show(learning, !!v.learning);
      for (const step of v.steps) {
        const li = document.querySelector('#stappen li[data-sensor="' + CSS.escape(step.sensorId) + '"]');
        if (!li) { continue; }
        li.dataset.status = step.status;
        text(li.querySelector('.status'), step.statusText);
        text(li.querySelector('.probleem'), step.problemText ? ' — ' + step.problemText : '');
        const explanation = li.querySelector('.uitleg');
        text(explanation, step.explanation || '');
        show(explanation, !!step.explanation);
        show(li.querySelector('form.opnieuw'), step.mayRetry);
      }
      const start = document.getElementById('looptest-starten');
      if (start) { start.disabled = !v.connected; }
      const button = document.getElementById('live-zetten');
      if (button) { button.disabled = !v.mayGoLive; }
      const blocker = document.getElementById('live-blokkade');
      text(blocker, v.goLiveBlocker || '');
      show(blocker, !!v.goLiveBlocker);
    } catch (e) {
      text(document.getElementById('samenvatting'), 'Verbinding met het dashboard even weg; opnieuw proberen...');
    }
  }
  setInterval(refresh, 1000);
})();
