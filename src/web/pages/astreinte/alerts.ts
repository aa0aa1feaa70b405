// How a new booking reaches a professional who is not looking at the screen:
// a short two-tone sound (Web Audio: no file to download) and a browser
// notification. Browsers allow both only after a gesture, so the page asks on a
// click (« Activer les alertes »).
let audio: AudioContext | undefined;

export type AlertPermission = 'accordees' | 'refusees' | 'a-demander' | 'indisponibles';

export function notificationPermission(): AlertPermission {
  if (typeof Notification === 'undefined') return 'indisponibles';
  if (Notification.permission === 'granted') return 'accordees';
  return Notification.permission === 'denied' ? 'refusees' : 'a-demander';
}

/** On a click: unlocks the sound and asks for notifications. */
export async function enableAlerts(): Promise<AlertPermission> {
  try {
    audio ??= new AudioContext();
    // Not awaited: on a device without audio output it never settles.
    audio.resume().catch(() => undefined);
  } catch { /* no sound on this device: the notification and the page still show it */ }
  if (typeof Notification === 'undefined') return 'indisponibles';
  await Notification.requestPermission();
  return notificationPermission();
}

function beep(): void {
  if (audio === undefined || audio.state !== 'running') return;
  const now = audio.currentTime;
  for (const [i, frequency] of [880, 660].entries()) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, now + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.001, now + i * 0.25 + 0.22);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now + i * 0.25);
    oscillator.stop(now + i * 0.25 + 0.23);
  }
}

/** A new booking: sound, and a notification that brings the page forward when clicked. */
export function announce(title: string, body: string, tag: string): void {
  beep();
  if (notificationPermission() !== 'accordees') return;
  try {
    const notification = new Notification(title, { body, tag, requireInteraction: true });
    notification.onclick = () => { window.focus(); notification.close(); };
  } catch { /* some phones allow notifications from a service worker only: the page and the sound remain */ }
}
