import type { Command } from '../command.js';
import { evalCommand } from './eval.js';
import { exportOnnxCommand } from './export-onnx.js';
import { frameCommand } from './frame.js';
import { makeCommand } from './make.js';
import { morphCommand } from './morph.js';
import { renderCommand } from './render.js';
import { sampleCommand } from './sample.js';
import { trainCommand } from './train.js';

/** Every command, in the order the help lists them. */
export const commands: readonly Command[] = [makeCommand, morphCommand, trainCommand, sampleCommand, evalCommand, renderCommand, frameCommand, exportOnnxCommand];
