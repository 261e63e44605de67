// Copies the pinned front-end libraries from node_modules into the Django static tree.
// Nothing third-party is committed: this runs at set-up (make run / make test).
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "maillage", "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
  "leaflet/dist/leaflet.js.map": "leaflet/leaflet.js.map",
  "leaflet/dist/images/layers.png": "leaflet/images/layers.png",
  "leaflet/dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
  "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
  "leaflet/dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
  "leaflet/dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
  "leaflet/dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
  "cytoscape/dist/cytoscape.min.js": "cytoscape.min.js",
};
mkdirSync(vendor, { recursive: true });
for (const [source, target] of Object.entries(files)) {
  mkdirSync(dirname(join(vendor, target)), { recursive: true });
  copyFileSync(join(root, "node_modules", source), join(vendor, target));
}
console.log(`front-end assets copied to ${vendor}`);
