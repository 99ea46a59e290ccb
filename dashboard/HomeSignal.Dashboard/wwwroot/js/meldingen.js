// Refreshes the list of meldingen every 15 s (polling; the list is server-rendered HTML from the same page).
(function () {
  const list = document.getElementById('meldingen-lijst');
  if (!list) { return; }
  const url = list.dataset.source;
  async function refresh() {
    try {
      const response = await fetch(url, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' });
      if (response.ok) {
        const html = await response.text();
        // Do not disturb someone who is filling in a form in the list.
        if (!list.contains(document.activeElement) && list.innerHTML !== html) { list.innerHTML = html; }
        document.getElementById('meldingen-status').textContent = 'Bijgewerkt om ' + new Date().toLocaleTimeString('nl-NL');
      }
    } catch (e) {
      document.getElementById('meldingen-status').textContent = 'Verbinding even weg; opnieuw proberen...';
    }
  }
  setInterval(refresh, Number(list.dataset.interval || 15000));
})();
