// The GOV.UK timeout warning, as progressive enhancement: the server ends a session after
// SESSION_IDLE_MINUTES without a request whatever happens here; this module warns shortly before
// (a modal dialog, focus moved into it and returned after), lets the person stay signed in (a POST
// to the keep-alive URL is activity), and at the end takes them to sign in, where they are told why.
const dialog = document.getElementById('session-timeout-warning')

function describe (seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60)
    return minutes === 1 ? '1 minute' : `${minutes} minutes`
  }
  return seconds === 1 ? '1 second' : `${seconds} seconds`
}

function start () {
  const idleMs = Number(dialog.dataset.idleMinutes) * 60 * 1000
  const leftMs = Number(dialog.dataset.idleSecondsLeft) * 1000
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000
  const countdown = dialog.querySelector('[data-countdown]')
  const announce = dialog.querySelector('[data-countdown-announce]')
  const stayButton = dialog.querySelector('[data-keep-alive]')
  const csrfToken = dialog.querySelector('input[name="csrfmiddlewaretoken"]').value
  let deadline = 0
  let timers = []
  let returnFocusTo = null

  function clearTimers () {
    timers.forEach((timer) => window.clearTimeout(timer))
    timers = []
  }

  function signOut () {
    const next = window.location.pathname + window.location.search
    window.location.assign(`${dialog.dataset.signInUrl}?next=${encodeURIComponent(next)}`)
  }

  function secondsLeft () {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000))
  }

  function tick () {
    const left = secondsLeft()
    countdown.textContent = describe(left)
    if (left > 0) timers.push(window.setTimeout(tick, 1000))
  }

  function announceTimeLeft () {
    // Screen readers hear the time left when the warning opens and every 15 seconds, not every second.
    announce.textContent = `For your security, we will sign you out in ${describe(secondsLeft())}.`
    if (secondsLeft() > 15) timers.push(window.setTimeout(announceTimeLeft, 15000))
  }

  function openWarning () {
    returnFocusTo = document.activeElement
    tick()
    dialog.showModal()
    stayButton.focus()
    announceTimeLeft()
  }

  // The first time, what the server says is left of the idle time; after "Stay signed in", all of it.
  function restart (leftMs = idleMs) {
    clearTimers()
    deadline = Date.now() + leftMs
    timers.push(window.setTimeout(openWarning, Math.max(0, leftMs - warningMs)))
    timers.push(window.setTimeout(signOut, leftMs))
  }

  async function staySignedIn () {
    let response
    try {
      response = await fetch(dialog.dataset.keepAliveUrl, {
        method: 'POST',
        headers: { 'X-CSRFToken': csrfToken },
        credentials: 'same-origin'
      })
    } catch {
      return // offline: the warning stays open and the end comes as planned
    }
    if (response.status !== 204) {
      signOut()
      return
    }
    dialog.close()
    announce.textContent = ''
    restart(idleMs)
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') returnFocusTo.focus()
  }

  stayButton.addEventListener('click', staySignedIn)
  // Escape means "stay signed in", as in the pattern, rather than closing the warning unanswered.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  restart(leftMs)
  // Says the timers run (the browser tests wait for it before moving the clock on).
  dialog.dataset.timing = 'started'
}

if (dialog && typeof dialog.showModal === 'function') start()
