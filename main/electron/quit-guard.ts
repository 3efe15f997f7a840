import { app, BrowserWindow, dialog } from 'electron';
import type { ServiceHost } from './service-host.js';

/**
 * Quitting (or closing the window) mid-export asks first, as Kap does; once the user agrees,
 * jobs are cancelled through the engine so encoders remove their temp files before it stops.
 * Unsaved work and a running training ask too, from the page's beforeunload.
 */
export function installQuitGuard(service: ServiceHost, platform: NodeJS.Platform = process.platform): (window: BrowserWindow) => void {
  let confirmed = false;
  let stopped = false;
  let stopping = false;

  const askToStopExports = async (window: BrowserWindow | undefined): Promise<boolean> => {
    const exports = service.activeJobs('export');
    if (exports.length === 0 || confirmed) return true;
    const options = {
      type: 'warning' as const,
      buttons: ['Stop Export and Quit', 'Keep Exporting'],
      defaultId: 1,
      cancelId: 1,
      message: exports.length === 1 ? 'An export is still running.' : `${exports.length} exports are still running.`,
      detail: 'Quitting now cancels it, and the unfinished file is deleted.',
    };
    const answer = window === undefined || window.isDestroyed() ? await dialog.showMessageBox(options) : await dialog.showMessageBox(window, options);
    confirmed = answer.response === 0;
    return confirmed;
  };

  /** Per window: settles its closing, true once closed, false when the user kept it open. */
  const closing = new Map<BrowserWindow, (closed: boolean) => void>();
  const closeWindow = (window: BrowserWindow): Promise<boolean> =>
    new Promise((resolve) => {
      if (window.isDestroyed()) {
        resolve(true);
        return;
      }
      closing.set(window, resolve);
      window.once('closed', () => resolve(true));
      window.close();
    });

  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void (async () => {
      try {
        if (!(await askToStopExports(undefined))) return;
        // The windows close before the engine stops: a page with unsaved work asks first
        // (will-prevent-unload below), and kept open it must still have an engine to save with.
        const closed = await Promise.all(BrowserWindow.getAllWindows().map(closeWindow));
        closing.clear();
        if (!closed.every(Boolean)) {
          confirmed = false;
          return;
        }
        await service.stop();
        stopped = true;
        app.quit();
      } finally {
        stopping = false;
      }
    })();
  });

  return (window) => {
    let agreedToClose = false;
    window.on('close', (event) => {
      if (stopped || confirmed || agreedToClose || service.activeJobs('export').length === 0) return;
      event.preventDefault();
      void askToStopExports(window).then(async (agreed) => {
        if (!agreed) return;
        agreedToClose = true;
        // macOS keeps running without windows: cancel the exports; the engine stays for later.
        if (platform === 'darwin') {
          confirmed = false;
          await Promise.all(service.activeJobs('export').map((job) => service.request('job:cancel', { jobId: job.jobId })));
        }
        if (!window.isDestroyed()) window.close();
      });
    });
    // The page refuses to unload while it has unsaved work or a training running (App.svelte's
    // beforeunload); Electron would then keep the window open without a word, so ask here.
    window.webContents.on('will-prevent-unload', (event) => {
      const answer = dialog.showMessageBoxSync(window, {
        type: 'warning',
        buttons: ['Close Anyway', 'Keep Open'],
        defaultId: 1,
        cancelId: 1,
        message: 'Closing now loses work.',
        detail: 'The project has unsaved changes, or a training is still running. Keep the window open to save the project or let the training finish.',
      });
      // preventDefault here overrides the page's refusal: the window closes.
      if (answer === 0) event.preventDefault();
      else closing.get(window)?.(false);
    });
  };
}
