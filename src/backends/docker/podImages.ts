// A pod's containers' images, made available as an app's image is (imagePull): each distinct
// image of the pod is pulled when missing, or every time when its `image.forcePull` is set.
import { ResolvedApp } from "../../core/marathon/appInputs";
import { prepareImage } from "./imagePull";

export async function preparePodImages(inputs: ResolvedApp): Promise<void> {
  const images = new Map<string, boolean>();
  for (const c of inputs.pod?.containers ?? []) {
    if (c.image?.id) images.set(c.image.id, (images.get(c.image.id) ?? false) || Boolean(c.image.forcePull));
  }
  // Each image as the image of an app like the pod's holder, so the app's pull rules apply as they are.
  await Promise.all(
    [...images].map(([image, forcePullImage]) =>
      prepareImage({
        ...inputs,
        canonical: {
          ...inputs.canonical,
          container: { type: "DOCKER", docker: { image, forcePullImage, parameters: [], privileged: false }, portMappings: [], volumes: [] },
        },
      }),
    ),
  );
}
