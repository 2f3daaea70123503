import { readSchema } from './read.js'

export default readSchema('action-v1.0.min.json')
