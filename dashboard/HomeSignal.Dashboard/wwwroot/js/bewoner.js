// Draws the actogram and the weekly trends with Chart.js from the page's JSON handler.
(function () {
  const root = document.getElementById('grafieken');
  if (!root || typeof Chart === 'undefined') { return; }
  fetch(root.dataset.source, { credentials: 'same-origin' }).then(r => r.json()).then(data => {
    drawActogram(data.actogram);
    data.weekly.forEach(drawTrend);
    root.setAttribute('data-drawn', 'true');
  }).catch(() => { root.textContent = 'De grafieken konden niet worden geladen.'; });

  // Days run left to right, hours top to bottom; each hour is a square shaded by how much movement there was.
  function drawActogram(a) {
    const canvas = document.getElementById('actogram');
    const max = a.max || 1;
    const days = a.days.length;
    new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [{
        label: 'Beweging per uur',
        data: a.cells.map(c => ({ x: c[0], y: c[1], v: c[2] })),
        pointStyle: 'rect',
        pointRadius: ctx => {
          const area = ctx.chart.chartArea;
          if (!area) { return 3; }
          return Math.max(1.5, Math.min(area.width / days, area.height / 24) / Math.SQRT2);
        },
        backgroundColor: a.cells.map(c => 'rgba(11, 83, 148, ' + (0.12 + 0.88 * c[2] / max).toFixed(2) + ')'),
        borderWidth: 0
      }] },
      options: {
        animation: false, maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: {
          label: ctx => a.days[ctx.raw.x] + ', ' + ctx.raw.y + ':00 — ' + ctx.raw.v + ' keer beweging' } } },
        scales: {
          x: { min: -0.5, max: days - 0.5, grid: { display: false }, title: { display: true, text: 'dag (laatste 8 weken)' },
               ticks: { stepSize: 0.5, autoSkip: false, maxRotation: 0, callback: v => (Number.isInteger(v) && v % 7 === 0 ? a.days[v] : '') } },
          y: { min: -0.5, max: 23.5, reverse: true, grid: { display: false }, title: { display: true, text: 'uur van de dag' }, ticks: { stepSize: 0.5, autoSkip: false, callback: v => (Number.isInteger(v) && v % 3 === 0 ? v + ':00' : '') } }
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
