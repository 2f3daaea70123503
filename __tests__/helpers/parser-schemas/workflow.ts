import { readSchema } from './read.js'

export default readSchema('workflow-v1.0.min.json')
