package web

// englishSlugs maps the English values that pages, forms and bookmarks used
// before ADR 0007 to the Swedish slugs stored since: agreement and action
// statuses, and an operation's place. A bookmarked /samverkan?status=signed
// and a form opened before an upgrade and sent after it keep working.
// Migration 13 (sqldb/slugs.go) renamed the stored rows the same way.
var englishSlugs = map[string]string{
	"draft": "utkast", "signed": "undertecknat", "ended": "avslutat",
	"planned": "planerad", "ongoing": "pagaende", "done": "klar", "cancelled": "installd",
	"online": "natet",
}

// swedishSlug returns the stored slug of a status or place value from a
// URL or form: the value itself, or its Swedish slug if it is one of the
// English values used before.
func swedishSlug(value string) string {
	if slug, ok := englishSlugs[value]; ok {
		return slug
	}
	return value
}
