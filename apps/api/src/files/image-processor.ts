import { PREVIEW_SIZE, THUMBNAIL_SIZE } from '@parley/contracts';
import sharp from 'sharp';

/** What an image upload becomes: its original re-encoded without metadata, and two WebP renditions. */
export interface ProcessedImage {
  /** A file beside the upload: the original, oriented, every metadata block (EXIF, GPS, XMP, IPTC, comments) gone. */
  originalPath: string;
  width: number;
  height: number;
  preview: Buffer;
  thumbnail: Buffer;
}

/** Decoding stops past this many pixels (a 100-megapixel photo passes, a decompression bomb does not). */
const MAX_PIXELS = 268_402_689;

/**
 * Makes the stored forms of an image with sharp: EXIF orientation applied, then the original
 * re-encoded in its own format at high quality without any metadata (sharp keeps none unless
 * asked), a preview (long side PREVIEW_SIZE) and a thumbnail (THUMBNAIL_SIZE), both WebP. An
 * animated GIF stays animated as the original; its renditions are its first frame. Answers null
 * when the bytes do not decode: the upload is then stored as a plain file.
 */
export async function processImage(inputPath: string, mimeType: string, outputPath: string): Promise<ProcessedImage | null> {
  const animated = mimeType === 'image/gif' || mimeType === 'image/webp';
  try {
    const source = () => sharp(inputPath, { animated, limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const encoded = encodeAs(source(), mimeType);
    const info = await encoded.toFile(outputPath);
    const still = () => sharp(inputPath, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const rendition = (size: number) => still().resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    const [preview, thumbnail] = [await rendition(PREVIEW_SIZE), await rendition(THUMBNAIL_SIZE)];
    // An animated image's info.height is that of all its frames stacked: the page height is one frame's.
    const height = animated ? ((await sharp(outputPath, { animated: true }).metadata()).pageHeight ?? info.height) : info.height;
    return { originalPath: outputPath, width: info.width, height, preview, thumbnail };
  } catch {
    return null;
  }
}

function encodeAs(image: sharp.Sharp, mimeType: string): sharp.Sharp {
  switch (mimeType) {
    case 'image/jpeg':
      return image.jpeg({ quality: 92, mozjpeg: false });
    case 'image/png':
      return image.png({ compressionLevel: 9 });
    case 'image/webp':
      return image.webp({ quality: 92 });
    case 'image/gif':
      return image.gif();
    case 'image/avif':
      return image.avif({ quality: 80 });
    case 'image/tiff':
      return image.tiff({ quality: 92 });
    default:
      throw new Error(`Not an image type we process: ${mimeType}`);
  }
}
