type PostTask = (callback: () => void, options: { priority: 'background' }) => Promise<void>;

/**
 * Resolves in a later task, at low priority, so work split by it waits for the page's own tasks: the player
 * appending media, its XHR and timer callbacks. `scheduler.postTask` at background priority where the browser has
 * it (not `scheduler.yield()`, whose continuation runs *before* tasks already queued, so peer-connection setup
 * jumped ahead of a starting player's work); otherwise a MessageChannel message, which, unlike `setTimeout`,
 * background tabs do not throttle to once a second.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  if (typeof scheduler?.postTask === 'function') {
    return scheduler.postTask(() => undefined, { priority: 'background' });
  }
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
