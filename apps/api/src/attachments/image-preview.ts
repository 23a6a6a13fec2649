import type { Readable } from 'node:stream';
import sharp, { type Metadata } from 'sharp';
import { BadRequestError } from '../common/errors/chat-errors.js';

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;

/** A decode that takes longer than this is given up (the image is stored without a thumbnail). */
const THUMBNAIL_TIMEOUT_SECONDS = 10;

// One libvips thread per image: a flood of uploads on a 2-core box must leave CPU for the chat.
sharp.concurrency(1);

export interface ImageFacts {
  /** As shown, after EXIF orientation. */
  width: number;
  height: number;
}

/**
 * Reads an image's dimensions from its header only, without decoding it: an image of more than
 * `maxPixels` (a decompression bomb: a few KB that would inflate to gigabytes) is refused here,
 * before any pixel is decoded. An image whose header cannot be read is refused too.
 */
export async function imageFacts(content: Readable, maxPixels: number): Promise<ImageFacts> {
  let meta: Metadata;
  try {
    // The header only: no pixel is decoded here, so sharp's own pixel limit is not needed (it
    // would refuse a bomb without saying how large it is).
    meta = await content.pipe(sharp({ limitInputPixels: false })).metadata();
  } catch {
    throw new BadRequestError(
      'the image cannot be read: it is damaged or not the image its first bytes claim',
    );
  } finally {
    content.destroy();
  }
  const { width, height } = meta;
  if (!width || !height) throw new BadRequestError('the image has no dimensions');
  if (width * height > maxPixels) {
    throw new BadRequestError(
      `the image is ${width} x ${height} pixels; at most ${maxPixels} pixels (UPLOAD_MAX_PIXELS) are accepted`,
    );
  }
  // EXIF orientations 5-8 turn the image a quarter: what is shown is height x width.
  const turned = (meta.orientation ?? 1) >= 5;
  return turned ? { width: height, height: width } : { width, height };
}

/** A small WebP of the image, upright (EXIF orientation applied), first frame of an animation. */
export async function thumbnailOf(content: Readable, maxPixels: number): Promise<Buffer> {
  const resize = sharp({ limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .timeout({ seconds: THUMBNAIL_TIMEOUT_SECONDS });
  try {
    return await content.pipe(resize).toBuffer();
  } finally {
    content.destroy();
  }
}
