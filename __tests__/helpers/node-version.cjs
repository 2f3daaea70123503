// Preloaded (node -r) into a run of the built action: writes the version of the Node running it.
require('node:fs').writeFileSync(process.env.NODE_VERSION_FILE, process.version)
