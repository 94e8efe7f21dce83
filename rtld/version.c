/*
 * Symbol versioning (DT_VERSYM, DT_VERDEF, DT_VERNEED).
 *
 * Each object gets a version index table: entry i describes the value i
 * that its DT_VERSYM array may hold, whether that value comes from one of
 * its own definitions (verdef) or from a requirement on another library
 * (verneed).  Matching rules follow glibc (lt_version_matches, symbols.h):
 *  - a versioned reference binds only to a definition of that version, or
 *    to a plain unversioned definition that is not hidden;
 *  - an unversioned reference never binds to a hidden (non-default) version.
 */
#include "rtld.h"
#include "alloc.h"
#include "str.h"
#include "symbols.h"
#include "trace.h"

static int bad(const struct lt_object *obj, const char *what)
{
	lt_error("%s: corrupt version information: %s", obj->path, what);
	return -1;
}

/* A version record: readable, inside the object, and aligned for its 32-bit fields. */
static const void *at(const struct lt_object *obj, uintptr_t addr, size_t len)
{
	return addr % 4 == 0 && lt_object_readable(obj, addr, len) ? (const void *)addr : 0;
}

/*
 * The version table being filled: entry ndx of `table`, grown (zeroed) to
 * take it.  One walk of the records fills it: indices usually come in
 * order from 1, so a table sized by the record counts seldom grows.
 */
#define INITIAL_VERSIONS 256

struct version_table {
	struct lt_version *v;
	size_t cap, max;  /* max: the largest index seen */
	uint16_t first_need, last_need;  /* the verneed entries' list (next_need) */
};

static struct lt_version *grow_table(struct lt_object *obj, struct version_table *t, unsigned ndx)
{
	size_t cap = ndx + 1 > 2 * t->cap ? ndx + 1 : 2 * t->cap;
	struct lt_version *grown = lt_realloc(t->v, cap * sizeof *grown);
	if (!grown) {
		bad(obj, "out of memory");
		return 0;
	}
	t->v = grown;
	t->cap = cap;
	return grown;
}

static inline struct lt_version *table_entry(struct lt_object *obj, struct version_table *t,
					     unsigned ndx)
{
	if (ndx >= t->cap && !grow_table(obj, t, ndx))
		return 0;
	if (ndx > t->max)
		t->max = ndx;
	return &t->v[ndx];
}

/*
 * Walk the verdef chain into the table.  The walk is bounded by the
 * declared count and every record is range-checked.
 */
static int walk_verdef(struct lt_object *obj, const Elf64_Verdef *first, size_t count,
		       struct version_table *t)
{
	uintptr_t p = (uintptr_t)first;
	for (size_t i = 0; p && i < count; i++) {
		const Elf64_Verdef *vd = at(obj, p, sizeof *vd);
		if (!vd || vd->vd_version != VER_DEF_CURRENT)
			return bad(obj, "bad verdef record");
		const Elf64_Verdaux *aux = at(obj, p + vd->vd_aux, sizeof *aux);
		const char *name = aux ? lt_object_string(obj, aux->vda_name) : 0;
		if (!name)
			return bad(obj, "bad verdef name");
		struct lt_version *v = table_entry(obj, t, vd->vd_ndx & 0x7fff);
		if (!v)
			return -1;
		/* The base version (the object's own name) matches no versioned
		 * reference: its index stays unnamed, like an unversioned one. */
		if (!(vd->vd_flags & VER_FLG_BASE))
			*v = (struct lt_version){name, vd->vd_hash, vd->vd_flags, 0, 0};
		p = vd->vd_next ? p + vd->vd_next : 0;
	}
	return 0;
}

static int walk_verneed(struct lt_object *obj, struct version_table *t)
{
	uintptr_t p = (uintptr_t)obj->verneed;
	for (size_t i = 0; p && i < obj->nverneed; i++) {
		const Elf64_Verneed *vn = at(obj, p, sizeof *vn);
		if (!vn || vn->vn_version != VER_NEED_CURRENT)
			return bad(obj, "bad verneed record");
		const char *file = lt_object_string(obj, vn->vn_file);
		if (!file)
			return bad(obj, "bad verneed file name");
		uintptr_t a = p + vn->vn_aux;
		for (unsigned j = 0; j < vn->vn_cnt; j++) {
			const Elf64_Vernaux *aux = at(obj, a, sizeof *aux);
			const char *name = aux ? lt_object_string(obj, aux->vna_name) : 0;
			if (!name)
				return bad(obj, "bad vernaux record");
			unsigned ndx = aux->vna_other & 0x7fff;
			struct lt_version *v = table_entry(obj, t, ndx);
			if (!v)
				return -1;
			int listed = v->file != 0;  /* (an index given twice is listed once) */
			*v = (struct lt_version){name, aux->vna_hash, aux->vna_flags, v->next_need, file};
			if (!listed && ndx) {
				if (t->last_need)
					t->v[t->last_need].next_need = ndx;
				else
					t->first_need = ndx;
				t->last_need = ndx;
			}
			if (!aux->vna_next)
				break;
			a += aux->vna_next;
		}
		p = vn->vn_next ? p + vn->vn_next : 0;
	}
	return 0;
}

int lt_versions_load(struct lt_object *obj, const Elf64_Verdef *verdef, size_t nverdef)
{
	if (!verdef && !obj->verneed && !obj->st.versym)
		return 0;
	/* Indices 0 (local) and 1 (global) always exist; room for the
	 * definitions and a few requirements per library needed (the counts
	 * are the file's: a corrupt one must not size anything). */
	struct version_table t = {.cap = INITIAL_VERSIONS, .max = 1};
	if (nverdef < INITIAL_VERSIONS && obj->nverneed < INITIAL_VERSIONS / 8 &&
	    2 + nverdef + 8 * obj->nverneed < t.cap)
		t.cap = 2 + nverdef + 8 * obj->nverneed;
	if (!(t.v = lt_alloc(t.cap * sizeof *t.v)))
		return bad(obj, "out of memory");
	if (walk_verdef(obj, verdef, nverdef, &t) < 0 || walk_verneed(obj, &t) < 0) {
		lt_free(t.v);
		return -1;
	}
	obj->st.versions = t.v;
	obj->st.nversions = t.max + 1;
	obj->st.first_need = t.first_need;
	return 0;
}

int lt_verreq_of(const struct lt_object *obj, size_t symidx, struct lt_verreq *out)
{
	if (!obj->st.versym)
		return 0;
	uint16_t vs = obj->st.versym[symidx];
	if ((vs & 0x7fff) < 2 || (vs & 0x7fff) >= obj->st.nversions)
		return 0;  /* unversioned, or an index no table entry describes */
	const struct lt_version *v = &obj->st.versions[vs & 0x7fff];
	if (!v->name)
		return 0;
	*out = (struct lt_verreq){v->name, v->hash, (vs & 0x8000) != 0};
	return 1;
}

/* The loaded object a verneed record names. */
static struct lt_object *provider(const char *file)
{
	for (struct lt_object *o = lt.head; o; o = o->next) {
		if ((o->soname && !strcmp(o->soname, file)) ||
		    (o->request && !strcmp(o->request, file)))
			return o;
		const char *slash = strrchr(o->path, '/');
		if (!strcmp(slash ? slash + 1 : o->path, file))
			return o;
	}
	return 0;
}

static const struct lt_version *find_definition(const struct lt_object *o, const char *name,
						uint32_t hash, int *has_defs)
{
	*has_defs = 0;
	for (size_t i = 0; i < o->st.nversions; i++) {
		const struct lt_version *v = &o->st.versions[i];
		if (!v->name || v->file)
			continue;
		*has_defs = 1;
		if (v->hash == hash && lt_streq(v->name, name))
			return v;
	}
	return 0;
}

int lt_versions_check(struct lt_object *obj)
{
	const char *file = 0;  /* (the entries of one verneed record name one file: found once) */
	struct lt_object *def = 0;
	/* In the file's order, as glibc's loader checks them (and traces them). */
	for (unsigned i = obj->st.first_need; i; i = obj->st.versions[i].next_need) {
		const struct lt_version *need = &obj->st.versions[i];
		if (need->file != file)
			def = provider(file = need->file);
		if (!def)
			continue;  /* not loaded here: glibc does not check either */
		int has_defs;
		const struct lt_version *v = find_definition(def, need->name, need->hash, &has_defs);
		trace_version_check(need->name, def, obj,
				    v ? "" : has_defs ? ": not found" : ": file has no version information");
		if (!v && has_defs && !(need->flags & VER_FLG_WEAK)) {
			lt_error("%s: version `%s' not found (required by %s)", def->path, need->name,
				 obj->path);
			return -1;
		}
	}
	return 0;
}
