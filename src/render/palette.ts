/** How a renderer marks up text; renderers stay pure and never write colour codes to a stream. */
export type Palette = {
  add(text: string): string;
  change(text: string): string;
  remove(text: string): string;
  replace(text: string): string;
  note(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
};

const same = (text: string) => text;

export const plain: Palette = {
  add: same,
  change: same,
  remove: same,
  replace: same,
  note: same,
  bold: same,
  dim: same,
};
