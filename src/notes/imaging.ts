/** Which procedures are imaging studies (they get a radiology report), read off their display. */

const IMAGING = /\b(?:imaging|radiograph\w*|x-ray|plain film|computed tomography|CT|CTA|magnetic resonance|MRI|MRA|ultrasound|ultrasonography|sonograph\w*|echocardiograph\w*|mammogra\w*|angiograph\w*|fluoroscop\w*|scan|scintigraph\w*|densitometry|DXA|DEXA|positron emission)\b/i;

/** Whether a procedure display names an imaging study ("Plain chest X-ray", "Screening mammography"). */
export function isImaging(display: string): boolean {
  return IMAGING.test(display);
}
