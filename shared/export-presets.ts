import type { ExportFormat } from './export-formats.js';
import { namedBackgrounds } from './render/picture-background.js';
import type { RenderSettingsInput } from './render/render-settings.js';
import type { Canvas } from './render/view.js';
import type { Timeline } from './timeline.js';

/**
 * The places people post an animation to, each as a set of export settings: the CLI's
 * `--preset`, the export dialog's Preset menu and the README's preset table all read this list.
 * Budgets are decimal bytes, as the sites state their limits, with room below each limit.
 */
export const presetNames = ['readme', 'slack', 'x', 'instagram', 'slides', 'web'] as const;
export type PresetName = (typeof presetNames)[number];

export interface ExportPreset {
  readonly name: PresetName;
  /** What the dialog's menu shows. */
  readonly label: string;
  /** Where it goes and why these values, one sentence. */
  readonly purpose: string;
  readonly format: ExportFormat;
  /** The long side in pixels; an exact canvas sets its own. */
  readonly size: number;
  readonly canvas: Canvas;
  readonly particles: number;
  readonly transparent: boolean;
  /** Frame rate and the noise → picture pass; the rest of the timeline stays the default seamless loop unless `once`. */
  readonly timeline: Pick<Timeline, 'fps' | 'durationSeconds'> & Partial<Pick<Timeline, 'bounce' | 'loops'>>;
  /** At most this many bytes (fit-under-budget.ts), or no limit. */
  readonly maxBytes?: number;
}

export const exportPresets: Readonly<Record<PresetName, ExportPreset>> = Object.freeze({
  readme: {
    name: 'readme',
    label: 'README (GitHub)',
    purpose: 'A looping GIF for a README: GitHub shows images up to 10 MB.',
    format: 'gif',
    size: 720,
    canvas: 'picture',
    particles: 120_000,
    transparent: false,
    timeline: { fps: 20, durationSeconds: 3 },
    maxBytes: 10_000_000,
  },
  slack: {
    name: 'slack',
    label: 'Slack or Discord',
    purpose: 'A small GIF that plays inline in chat: 480 px, under 5 MB.',
    format: 'gif',
    size: 480,
    canvas: 'picture',
    particles: 50_000,
    transparent: false,
    timeline: { fps: 15, durationSeconds: 2.5 },
    maxBytes: 5_000_000,
  },
  x: {
    name: 'x',
    label: 'X (Twitter)',
    purpose: 'An MP4 for a post on X, kept under 15 MB so it uploads quickly.',
    format: 'mp4',
    size: 1080,
    canvas: 'picture',
    particles: 200_000,
    transparent: false,
    timeline: { fps: 30, durationSeconds: 3 },
    maxBytes: 15_000_000,
  },
  instagram: {
    name: 'instagram',
    label: 'Instagram',
    purpose: 'A square 1080 × 1080 MP4, the size Instagram shows a post at.',
    format: 'mp4',
    size: 1080,
    canvas: 'square',
    particles: 200_000,
    transparent: false,
    timeline: { fps: 30, durationSeconds: 3 },
    maxBytes: 50_000_000,
  },
  slides: {
    name: 'slides',
    label: 'Slides or a video editor',
    purpose: 'A 1920 × 1080 ProRes 4444 MOV with a transparent background, played once to a held picture, to lay over a slide or a clip.',
    format: 'mov',
    size: 1920,
    canvas: { width: 1920, height: 1080 },
    particles: 300_000,
    transparent: true,
    timeline: { fps: 30, durationSeconds: 3, bounce: false, loops: 1 },
  },
  web: {
    name: 'web',
    label: 'Web page',
    // Moving noise barely compresses (720 px at 24 fps is over 20 MB as WebP), so the web preset is smaller than the README's.
    purpose: 'An animated WebP with a transparent background for a web page: 480 px, under 10 MB.',
    format: 'webp',
    size: 480,
    canvas: 'picture',
    particles: 60_000,
    transparent: true,
    timeline: { fps: 20, durationSeconds: 3 },
    maxBytes: 10_000_000,
  },
});

export function isPresetName(text: string): text is PresetName {
  return (presetNames as readonly string[]).includes(text);
}

/** The render settings a preset sets; everything else keeps its default (or what the user typed). */
export function presetSettingsInput(preset: ExportPreset): RenderSettingsInput {
  return {
    size: preset.size,
    canvas: preset.canvas,
    particles: preset.particles,
    ...(preset.transparent ? { background: namedBackgrounds.transparent } : {}),
    timeline: preset.timeline,
  };
}
