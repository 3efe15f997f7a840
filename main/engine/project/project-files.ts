import path from 'node:path';
import { FlowGifError } from '../../../shared/errors.js';
import type { ProjectData } from '../../../shared/ipc/contract.js';
import { projectDataProblem, validateProjectData } from '../../../shared/ipc/schemas.js';
import type { ImageDensity } from '../image/density.js';
import { saveFlowFile } from './flow-file.js';
import { RecentList } from './recent-list.js';
import { MAX_PROJECT_FILE_BYTES, readRegularFile } from './read-regular-file.js';
import { assertWritableFolder, writeFileAtomic, type ReplaceRule } from './write-atomic.js';
import type { TrainedModel } from '../train/trained-model.js';

export const PROJECT_EXTENSION = '.flowgif';
/** A save may replace an earlier project, never a file of another kind that happens to share the name. */
const projectRule: ReplaceRule = { what: 'a FlowGIF project', extensions: [PROJECT_EXTENSION] };

/**
 * Files beside the project are stored relative to it, so a folder holding a project, its
 * model and its picture can be moved or shared whole; anything elsewhere keeps its absolute
 * path, which survives moving the project alone.
 */
function storedPath(projectDir: string, target: string): string {
  const relative = path.relative(projectDir, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return target;
  return relative.split(path.sep).join('/');
}

function resolvedPath(projectDir: string, stored: string | undefined): string | undefined {
  return stored === undefined ? undefined : path.resolve(projectDir, stored);
}

export interface ProjectExtras {
  /** The trained model, written as PROJECT.flow beside the project. */
  readonly model?: { readonly model: TrainedModel; readonly density: ImageDensity };
  /** An uploaded picture that exists nowhere on disk, written beside the project so it reopens. */
  readonly imageBytes?: { readonly name: string; readonly bytes: Uint8Array };
}

/** Where saveProject writes the model and the uploaded picture beside the project, when it writes them. */
function besideProject(projectPath: string, project: ProjectData, extras: ProjectExtras): { model: string | undefined; image: string | undefined } {
  const dir = path.dirname(projectPath);
  const base = path.basename(projectPath, PROJECT_EXTENSION);
  return {
    model: extras.model === undefined ? undefined : path.join(dir, `${base}.flow`),
    image: project.image.path === undefined && extras.imageBytes !== undefined ? path.join(dir, `${base}-${path.basename(extras.imageBytes.name) || 'image'}`) : undefined,
  };
}

/** Every file saveProject would write, the project first: what a save may replace. */
export function projectFiles(projectPath: string, project: ProjectData, extras: ProjectExtras): string[] {
  const { model, image } = besideProject(projectPath, project, extras);
  return [projectPath, ...(model === undefined ? [] : [model]), ...(image === undefined ? [] : [image])];
}

/** Writes the project (and its model and uploaded picture) atomically; returns what it stored, paths absolute. */
export async function saveProject(projectPath: string, project: ProjectData, extras: ProjectExtras): Promise<ProjectData> {
  const dir = path.dirname(projectPath);
  // Before the model and picture are written beside it, so a refusal leaves nothing behind.
  await assertWritableFolder(projectPath, projectRule);
  const beside = besideProject(projectPath, project, extras);
  let modelPath = project.modelPath;
  if (extras.model !== undefined && beside.model !== undefined) {
    modelPath = beside.model;
    await saveFlowFile(modelPath, extras.model.model, extras.model.density);
  }
  let imagePath = project.image.path;
  if (extras.imageBytes !== undefined && beside.image !== undefined) {
    imagePath = beside.image;
    await writeFileAtomic(imagePath, extras.imageBytes.bytes);
  }
  const stored: ProjectData = {
    ...project,
    image: { name: project.image.name, path: imagePath === undefined ? undefined : storedPath(dir, imagePath) },
    modelPath: modelPath === undefined ? undefined : storedPath(dir, modelPath),
  };
  await writeFileAtomic(projectPath, `${JSON.stringify(stored, null, 2)}\n`, projectRule);
  return { ...stored, image: { ...stored.image, path: imagePath }, modelPath };
}

/** Reads and validates a project; its paths come back absolute. */
export async function readProject(projectPath: string): Promise<ProjectData> {
  const notProject = (why: string): FlowGifError =>
    new FlowGifError('INVALID_ARGUMENT', `${projectPath} is not a FlowGIF project: ${why}.`, {
      file: projectPath,
      hint: 'Open a .flowgif file saved by FlowGIF.',
    });
  const bytes = await readRegularFile(projectPath, {
    what: 'a FlowGIF project file',
    maxBytes: MAX_PROJECT_FILE_BYTES,
    codes: { notFound: 'NOT_FOUND', notRegular: 'INVALID_ARGUMENT', tooLarge: 'INVALID_ARGUMENT' },
    hint: 'Open a .flowgif file saved by FlowGIF.',
  });
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // JSON.parse's message quotes the text it choked on, and the file may be anyone's.
    throw notProject('it is not valid JSON');
  }
  const problem = projectDataProblem(raw);
  if (problem !== undefined) throw notProject(`bad field ${problem}`);
  const project = validateProjectData(raw);
  const dir = path.dirname(projectPath);
  return { ...project, image: { ...project.image, path: resolvedPath(dir, project.image.path) }, modelPath: resolvedPath(dir, project.modelPath) };
}

const MAX_RECENT = 10;

/** Recently saved or opened projects, newest first, kept in the app's data folder. */
export class RecentProjects {
  readonly #list: RecentList<string>;

  constructor(dataDir: string) {
    this.#list = new RecentList({
      file: path.join(dataDir, 'recent-projects.json'),
      what: 'a list of recent projects',
      max: MAX_RECENT,
      accept: (p): p is string => typeof p === 'string',
      key: (p) => p,
    });
  }

  list(): Promise<string[]> {
    return this.#list.list();
  }

  add(projectPath: string): Promise<void> {
    return this.#list.add(projectPath);
  }
}
