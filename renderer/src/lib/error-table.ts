import type { ErrorCode, SerializedError } from '../../../shared/errors.js';

/** 'input': shown beside the control that caused it; 'host': a banner with an action. */
export type ErrorPlace = 'input' | 'host';

export interface ErrorEntry {
  readonly title: string;
  readonly action: string;
  readonly place: ErrorPlace;
}

/** The one table from error codes to what the user reads and can do. */
export const errorTable: Readonly<Record<ErrorCode, ErrorEntry>> = {
  IMAGE_NOT_FOUND: { title: 'Image not found', action: 'Check that the file still exists, or pick another image.', place: 'input' },
  IMAGE_EMPTY: { title: 'The image is empty', action: 'Pick a picture with at least one pixel.', place: 'input' },
  IMAGE_CORRUPT: { title: 'The image could not be read', action: 'The file may be damaged; try re-saving it as PNG.', place: 'input' },
  IMAGE_UNSUPPORTED: { title: 'Unsupported image format', action: 'Use PNG, JPEG, WebP, GIF or TIFF.', place: 'input' },
  IMAGE_TOO_LARGE: { title: 'The image is too large', action: 'Scale it down below 16 000 px a side and try again.', place: 'input' },
  IMAGE_NO_MASS: { title: 'Nothing to draw', action: "The shape is what stands out from the picture's background: choose the dark or the light parts under Shape, or lower the threshold.", place: 'input' },
  MODEL_NOT_FOUND: { title: 'Model not found', action: 'The trained model is gone; train again or reopen the project.', place: 'host' },
  MODEL_CORRUPT: { title: 'The model file is damaged', action: 'Train again to replace it.', place: 'host' },
  MODEL_FOREIGN: { title: 'Not a FlowGIF model', action: 'Open a .flow file written by FlowGIF.', place: 'host' },
  MODEL_VERSION: { title: 'Model from another version', action: 'Train again with this version of FlowGIF.', place: 'host' },
  OUTPUT_UNWRITABLE: { title: 'Cannot write there', action: 'Choose a folder you can write to, with enough free space.', place: 'input' },
  OUTPUT_EXISTS: { title: 'The file already exists', action: 'Replace it, or choose another name.', place: 'input' },
  BACKEND_UNAVAILABLE: { title: 'No compute backend', action: 'Training needs a working TensorFlow.js backend; reinstall FlowGIF.', place: 'host' },
  ENCODER_MISSING: { title: 'Encoder missing', action: 'Install ffmpeg for MP4, or export a GIF or PNG frames instead.', place: 'host' },
  ENCODER_FAILED: { title: 'Encoding failed', action: 'Try a smaller size or another format; Copy details helps a bug report.', place: 'host' },
  INVALID_ARGUMENT: { title: 'Invalid setting', action: 'Change the value it names and try again.', place: 'input' },
  TRAINING_DIVERGED: { title: 'Training diverged', action: 'Try again with another seed, or the Fast preset.', place: 'host' },
  SOLVER_FAILED: { title: 'The flow could not be followed', action: 'The trained model may have blown up: train it again, or show the exact flow.', place: 'host' },
  ENGINE_BUSY: { title: 'Already running', action: 'Wait for the running job to finish, or cancel it first.', place: 'host' },
  HOST_UNSUPPORTED: { title: 'Not available here', action: 'This needs the desktop app.', place: 'host' },
  IPC_INVALID: { title: 'Internal message error', action: 'Restart FlowGIF; Copy details helps a bug report.', place: 'host' },
  ENGINE_STOPPED: {
    title: 'FlowGIF stopped',
    action: 'Start FlowGIF again: this page reconnects by itself and opens your picture again. Your exports so far are on disk.',
    place: 'host',
  },
  NOT_FOUND: { title: 'Not found', action: 'It may have been closed or removed; try again.', place: 'host' },
};

export interface Described {
  /** The engine's code, for the few errors the UI answers with a question rather than a message. */
  readonly code: ErrorCode | undefined;
  /** The file the error is about, when there is one. */
  readonly file: string | undefined;
  readonly title: string;
  readonly message: string;
  readonly action: string | undefined;
  readonly place: ErrorPlace;
  /** No FlowGIF code: a bug, shown as "Unexpected error" with Copy details. */
  readonly unexpected: boolean;
  readonly details: string;
}

export function describeError(error: SerializedError): Described {
  const entry = error.code === undefined ? undefined : errorTable[error.code];
  const details = [
    `${error.name}${error.code === undefined ? '' : ` [${error.code}]`}: ${error.message}`,
    ...(error.file === undefined ? [] : [`file: ${error.file}`]),
    ...(error.hint === undefined ? [] : [`hint: ${error.hint}`]),
    ...(error.stack === undefined ? [] : [error.stack]),
  ].join('\n');
  if (entry === undefined) {
    return { code: undefined, file: error.file, title: 'Unexpected error', message: error.message, action: undefined, place: 'host', unexpected: true, details };
  }
  return { code: error.code, file: error.file, title: entry.title, message: error.message, action: error.hint ?? entry.action, place: entry.place, unexpected: false, details };
}
