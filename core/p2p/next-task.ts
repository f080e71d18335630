/**
 * Resolves in a later task, so work split by it lets the page's other tasks (the player appending media, its
 * timers) run in between. `scheduler.yield()` where the browser has it; otherwise a MessageChannel message, which,
 * unlike `setTimeout`, background tabs do not throttle to once a second.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
