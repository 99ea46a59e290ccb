// Draws the actogram and the weekly trends with Chart.js from the page's JSON handler.
(function () {
  const root = document.getElementById('grafieken');
  if (!root || typeof Chart === 'undefined') { return; }
  fetch(root.dataset.source, { credentials: 'same-origin' }).then(r => r.json()).then(data => {
    drawActogram(data.actogram);
    data.weekly.forEach(drawTrend);
    root.setAttribute('data-drawn', 'true');
  }).catch(() => { root.textContent = 'De grafieken konden niet worden geladen.'; });

  function drawActogram(a) {
    const canvas = document.getElementById('actogram');
    const max = a.max || 1;
    new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [{
        label: 'Beweging per uur',
        data: a.cells.map(c => ({ x: c[1] + 0.5, y: c[0], v: c[2] })),
        pointStyle: 'rect', pointRadius: 4, pointHoverRadius: 6,
        backgroundColor: a.cells.map(c => 'rgba(11, 83, 148, ' + (0.15 + 0.85 * c[2] / max).toFixed(2) + ')'),
        borderWidth: 0
      }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: ctx => a.days[ctx.raw.y] + ' ' + Math.floor(ctx.raw.x) + ':00 — ' + ctx.raw.v + ' keer beweging' } } },
        scales: {
          x: { min: 0, max: 24, title: { display: true, text: 'uur van de dag' }, ticks: { stepSize: 3 } },
          y: { min: -0.5, max: a.days.length - 0.5, reverse: true, title: { display: true, text: 'dag (laatste 8 weken)' },
               ticks: { stepSize: 7, callback: v => a.days[v] || '' } }
        }
      }
    });
  }

  function drawTrend(t) {
    const canvas = document.getElementById('trend-' + t.metric);
    if (!canvas) { return; }
    const datasets = [{ label: t.label, data: t.values, borderColor: '#0b5394', backgroundColor: '#0b5394', tension: 0.2 }];
    if (t.low !== null && t.high !== null) {
      datasets.push({ label: 'normaal (hoog)', data: t.values.map(() => t.high), borderColor: 'rgba(30,122,52,0.5)', pointRadius: 0, borderDash: [6, 4], fill: false });
      datasets.push({ label: 'normaal (laag)', data: t.values.map(() => t.low), borderColor: 'rgba(30,122,52,0.5)', pointRadius: 0, borderDash: [6, 4],
                      backgroundColor: 'rgba(30,122,52,0.12)', fill: '-1' });
    }
    new Chart(canvas, { type: 'line', data: { labels: t.weeks, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } } });
  }
})();
