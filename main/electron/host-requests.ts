import fs from 'node:fs/promises';
import path from 'node:path';
import { app, clipboard, ClipboardItem, dialog, nativeImage, shell, type BrowserWindow, type FileFilter, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { newFileExtension } from '../../shared/export-formats.js';
import type { ExportFormat, RequestPayload } from '../../shared/ipc/contract.js';
import { clipboardContent, MAX_CLIPBOARD_IMAGE_BYTES, wantsBytes } from './clipboard-content.js';
import type { HostHandlers } from './host-channels.js';

const imageExtensions = ['png', 'jpg', 'jpeg', 'webp', 'gif', 'avif', 'tif', 'tiff', 'svg'];

const saveFilters: Readonly<Record<RequestPayload<'dialog:save-path'>['format'], { filter?: FileFilter; extension?: string }>> = {
  gif: { filter: { name: 'GIF animation', extensions: ['gif'] }, extension: newFileExtension('gif') },
  mp4: { filter: { name: 'MP4 video', extensions: ['mp4'] }, extension: newFileExtension('mp4') },
  webm: { filter: { name: 'WebM video', extensions: ['webm'] }, extension: newFileExtension('webm') },
  mov: { filter: { name: 'QuickTime movie (ProRes)', extensions: ['mov'] }, extension: newFileExtension('mov') },
  webp: { filter: { name: 'Animated WebP', extensions: ['webp'] }, extension: newFileExtension('webp') },
  apng: { filter: { name: 'Animated PNG', extensions: ['apng'] }, extension: newFileExtension('apng') },
  // PNG frames go into a folder: the name typed is the folder the engine creates.
  png: {},
  project: { filter: { name: 'FlowGIF project', extensions: ['flowgif'] }, extension: '.flowgif' },
};

export interface HostHandlerOptions {
  /** The save dialog itself asked before replacing that exact path. */
  readonly onReplaceConfirmed?: (file: string) => void;
  /** The format of a file on the export history (path-grants.ts refused any other before this runs). */
  readonly exportedFormat?: (file: string) => ExportFormat | undefined;
  /** Shown under the pointer while a video or a frames folder is dragged out. */
  readonly dragIcon?: string;
}

export function createHostHandlers(window: () => BrowserWindow | undefined, options: HostHandlerOptions = {}): HostHandlers {
  const onReplaceConfirmed = options.onReplaceConfirmed ?? (() => {});
  // Dialogs open where the user last went; the first time, in Pictures.
  let lastFolder: string | undefined;
  const startFolder = (): string => lastFolder ?? app.getPath('pictures');
  const openOne = async (options: Pick<OpenDialogOptions, 'title' | 'filters'>): Promise<{ path: string | undefined }> => {
    const full: OpenDialogOptions = { ...options, defaultPath: startFolder(), properties: ['openFile'] };
    const owner = window();
    const result = owner === undefined ? await dialog.showOpenDialog(full) : await dialog.showOpenDialog(owner, full);
    const chosen = result.canceled ? undefined : result.filePaths[0];
    if (chosen !== undefined) lastFolder = path.dirname(chosen);
    return { path: chosen };
  };
  return {
    'dialog:open-image': () => openOne({ title: 'Open Image', filters: [{ name: 'Images', extensions: imageExtensions }] }),
    'dialog:open-project': () => openOne({ title: 'Open Project', filters: [{ name: 'FlowGIF project', extensions: ['flowgif'] }] }),
    'dialog:save-path': async ({ defaultName, format }) => {
      const { filter, extension } = saveFilters[format];
      // A name, not a path: the renderer may not steer the dialog into another folder.
      const name = path.basename(defaultName);
      const options: SaveDialogOptions = {
        title: format === 'project' ? 'Save Project' : format === 'png' ? 'Export PNG Frames to Folder' : 'Export',
        defaultPath: path.join(startFolder(), name),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
        ...(filter === undefined ? {} : { filters: [filter] }),
      };
      const owner = window();
      const result = owner === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(owner, options);
      if (result.canceled || result.filePath === undefined || result.filePath === '') return { path: undefined };
      lastFolder = path.dirname(result.filePath);
      // GTK's dialog does not add the filter's extension by itself.
      const chosen = extension !== undefined && path.extname(result.filePath).toLowerCase() !== extension ? result.filePath + extension : result.filePath;
      // With an extension added, the dialog asked about another name: the app asks about this one.
      // A project save writes its model and picture beside it too, which the dialog never named.
      if (chosen === result.filePath && format !== 'project') onReplaceConfirmed(chosen);
      return { path: chosen };
    },
    'shell:show-in-folder': async ({ path: target }) => {
      if (!path.isAbsolute(target)) return { shown: false };
      try {
        await fs.stat(target);
      } catch {
        return { shown: false };
      }
      shell.showItemInFolder(target);
      return { shown: true };
    },
    'export:copy': async ({ path: file }) => {
      const format = options.exportedFormat?.(file);
      if (format === undefined) return { copied: [] };
      const stat = await fs.stat(file).catch(() => undefined);
      const bytes = wantsBytes(format, process.platform) && stat !== undefined && stat.isFile() && stat.size <= MAX_CLIPBOARD_IMAGE_BYTES ? await fs.readFile(file) : undefined;
      const content = clipboardContent(file, format, process.platform, bytes);
      const items = Object.fromEntries(Object.entries(content.entries).map(([type, value]) => [type, typeof value === 'string' ? value : new Blob([value])]));
      await clipboard.write([new ClipboardItem(items)]);
      return { copied: content.copied };
    },
    'export:drag': async ({ path: file }) => {
      const owner = window();
      if (owner === undefined || options.exportedFormat?.(file) === undefined) return { started: false };
      // startDrag needs an icon on macOS: the picture itself where it decodes, else the app's.
      const own = nativeImage.createFromPath(file);
      const icon = own.isEmpty() ? nativeImage.createFromPath(options.dragIcon ?? '') : own.resize({ width: 64 });
      if (icon.isEmpty()) return { started: false };
      owner.webContents.startDrag({ file, icon });
      return { started: true };
    },
  };
}
