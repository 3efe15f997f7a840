// Renders icon.svg (the FlowGIF mark: scattered noise flowing into a droplet) to the 512×512
// icon.png electron-builder converts for every platform. Run: node resources/icons/render-icon.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
await sharp(path.join(here, 'icon.svg'), { density: 288 }).resize(512, 512).png({ compressionLevel: 9 }).toFile(path.join(here, 'icon.png'));
const meta = await sharp(path.join(here, 'icon.png')).metadata();
console.log(`icon.png ${meta.width}×${meta.height}`);
