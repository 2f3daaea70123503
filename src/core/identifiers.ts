/** A GUID as DocuSign writes identifiers (any letter case). */
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Where a person finds another user's User ID: Apps and Keys shows only the signed-in person's own. */
export const USER_ID_PLACE = "DocuSign Admin > Users, on the user's page; Apps and Keys shows only your own User ID"

/** What each identifier is, and where DocuSign shows it. */
export const IDENTIFIERS = {
  'integration-key': ['the Integration Key', 'Apps and Keys page'],
  'user-id': ['the User ID of the user to impersonate', USER_ID_PLACE],
  'account-id': ['an API Account ID', 'Apps and Keys page, "API Account ID"']
} as const

/** How to fill an identifier in: what it is and where DocuSign shows it. */
export function whatToSet(input: keyof typeof IDENTIFIERS): string {
  const [what, where] = IDENTIFIERS[input]
  return `Set it to ${what} (${where}).`
}
