// Progressive enhancement for the import page: poll the progress endpoint while the import
// runs, update the row count, and reload once it has finished (or was interrupted) to show the
// full report.
const container = document.getElementById('import-progress')
const POLL_MILLISECONDS = 2000

async function poll () {
  let progress
  try {
    const response = await fetch(container.dataset.progressUrl, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin'
    })
    if (!response.ok) return
    progress = await response.json()
  } catch {
    return
  } finally {
    if (!progress || !(progress.is_finished || progress.is_interrupted)) window.setTimeout(poll, POLL_MILLISECONDS)
  }
  container.querySelector('[data-progress-rows]').textContent = progress.rows_read.toLocaleString('en-GB')
  if (progress.is_finished || progress.is_interrupted) window.location.reload()
}

if (container && container.dataset.finished === 'false') {
  window.setTimeout(poll, POLL_MILLISECONDS)
}
