import { FlowGifError, isFlowGifError } from '../../../shared/errors.js';
import type { ProjectData } from '../../../shared/ipc/contract.js';
import type { ImageDensity } from '../image/density.js';
import { loadDensity } from '../image/load-density.js';
import { loadFlowFile } from '../project/flow-file.js';
import { readProject } from '../project/project-files.js';
import type { TrainedModel } from '../train/trained-model.js';

export interface OpenedProject {
  readonly project: ProjectData;
  /** The picture read with the project's density settings, or the model's own when the picture is gone. */
  readonly density: ImageDensity;
  /** undefined when the picture could not be found and the model's density stands in for it. */
  readonly imagePath: string | undefined;
  readonly model: { readonly model: TrainedModel; readonly density: ImageDensity; readonly file: string } | undefined;
}

/** A .flowgif project with its picture and its model, as every host opens it. */
export async function openProject(projectPath: string): Promise<OpenedProject> {
  const project = await readProject(projectPath);
  const flowFile = project.modelPath === undefined ? undefined : await loadFlowFile(project.modelPath);
  const densityOptions = { mass: project.density.mass, threshold: project.density.threshold };
  let density: ImageDensity;
  let imagePath = project.image.path;
  try {
    if (imagePath === undefined) throw new FlowGifError('IMAGE_NOT_FOUND', `The project ${projectPath} names no picture file.`, { file: projectPath });
    density = await loadDensity(imagePath, densityOptions);
  } catch (error) {
    // The model carries the density it learned: enough to keep working without the picture.
    if (!(isFlowGifError(error) && error.code === 'IMAGE_NOT_FOUND') || flowFile === undefined) throw error;
    density = flowFile.density;
    imagePath = undefined;
  }
  const model = flowFile === undefined || project.modelPath === undefined ? undefined : { model: flowFile.model, density: flowFile.density, file: project.modelPath };
  return { project, density, imagePath, model };
}
