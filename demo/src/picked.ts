/**
 * Files the user picked or dropped, as paths below the folder they chose. Images are labelled as
 * `quantkit` labels an image folder on disk (src/data/node/open-dataset.ts): with subfolders, one
 * class per subfolder, label = index of its name in sorted order, images directly in the folder
 * ignored; without subfolders, the images are unlabelled (calibration only).
 */
import type { PickedImage } from './protocol.ts';

export interface PickedFile {
  /** Path segments below the chosen folder: [class, file] or [file]. */
  readonly path: readonly string[];
  readonly file: File;
}

const IMAGE = /\.(png|jpe?g)$/i;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Files of an `<input type="file" webkitdirectory>`: their relative paths start with the folder's name. */
export function filesFromInput(list: FileList): PickedFile[] {
  return Array.from(list, (file) => {
    const segments = (file.webkitRelativePath || file.name).split('/');
    return { path: segments.length > 1 ? segments.slice(1) : segments, file };
  });
}

/**
 * Files of a drop: one folder dropped is the chosen folder; several items dropped (class folders,
 * images) are its contents.
 */
export async function filesFromDrop(items: DataTransferItemList): Promise<PickedFile[]> {
  const entries = Array.from(items, (item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: PickedFile[] = [];
  if (entries.length === 1 && entries[0].isDirectory) await walk(entries[0] as FileSystemDirectoryEntry, [], out);
  else for (const entry of entries) await collect(entry, [], out);
  return out;
}

async function collect(entry: FileSystemEntry, prefix: readonly string[], out: PickedFile[]): Promise<void> {
  if (entry.isDirectory) return walk(entry as FileSystemDirectoryEntry, [...prefix, entry.name], out);
  const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
  out.push({ path: [...prefix, entry.name], file });
}

async function walk(directory: FileSystemDirectoryEntry, prefix: readonly string[], out: PickedFile[]): Promise<void> {
  const reader = directory.createReader();
  // readEntries returns the entries in chunks, then an empty array.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) return;
    for (const entry of chunk) await collect(entry, prefix, out);
  }
}

/** The images among `files`, labelled by subfolder (see the module comment), and the class names. */
export function labelImages(files: readonly PickedFile[]): { images: PickedImage[]; classes: string[]; labelled: boolean } {
  const images = files.filter((f) => IMAGE.test(f.path[f.path.length - 1]));
  const nested = images.filter((f) => f.path.length === 2);
  if (nested.length === 0) {
    const flat = images.filter((f) => f.path.length === 1).sort((a, b) => byCodeUnits(a.path[0], b.path[0]));
    return { images: flat.map((f) => ({ path: f.path[0], label: -1, file: f.file })), classes: [], labelled: false };
  }
  const classes = [...new Set(nested.map((f) => f.path[0]))].sort(byCodeUnits);
  const sorted = nested.sort((a, b) => byCodeUnits(a.path[0], b.path[0]) || byCodeUnits(a.path[1], b.path[1]));
  return { images: sorted.map((f) => ({ path: f.path.join('/'), label: classes.indexOf(f.path[0]), file: f.file })), classes, labelled: true };
}
