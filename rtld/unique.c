/*
 * STB_GNU_UNIQUE: one definition of a name in the whole process.
 *
 * g++ makes the static variables of inline functions and the static
 * members of templates STB_GNU_UNIQUE, and relies on one copy of each even
 * across libraries opened RTLD_LOCAL, which never see each other's
 * symbols.  So, as glibc does, the first unique definition a lookup ends at
 * is entered in a process-wide table by name, and every later lookup that
 * ends at a unique definition of that name gets the table's instead.  The
 * object that provided it then stays loaded (NODELETE): other objects hold
 * its address.  Only a dlopen that fails takes such an object away again,
 * and its entries with it (lt_unique_forget).
 *
 * Lookups run under the loader lock taken for reading, by many threads at
 * once, so the table has a lock of its own.
 */
#include "rtld.h"
#include "alloc.h"
#include "lock.h"
#include "str.h"
#include "symbols.h"

struct entry {
	const char *name;      /* NULL: an empty slot */
	uint32_t hash;         /* the name's GNU hash */
	struct lt_symdef def;
};

static struct entry *table;
static size_t capacity, used;  /* capacity: 0 or a power of two */
static struct lt_mutex table_lock;

/* The slot holding `name`, or the empty slot where it would go (linear probing). */
static struct entry *slot_for(const char *name, uint32_t hash)
{
	for (size_t i = hash & (capacity - 1);; i = (i + 1) & (capacity - 1))
		if (!table[i].name || (table[i].hash == hash && lt_streq(table[i].name, name)))
			return &table[i];
}

/* A table of `cap` slots holding every entry but those of `without`. */
static int rebuild(size_t cap, const struct lt_object *without)
{
	struct entry *old = table;
	size_t old_cap = capacity;
	if (!(table = lt_alloc(cap * sizeof *table))) {
		table = old;
		return -1;
	}
	capacity = cap;
	used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].name && old[i].def.obj != without) {
			*slot_for(old[i].name, old[i].hash) = old[i];
			used++;
		}
	lt_free(old);
	return 0;
}

/* Enter `def` for the reference's name; its object stays from now on. */
static void enter(const struct lt_ref *ref, struct lt_symdef def)
{
	if (2 * (used + 1) > capacity && rebuild(capacity ? 2 * capacity : 64, 0) < 0)
		lt_fatal("%s: out of memory for the table of unique symbols", def.obj->path);
	const char *name = def.obj->st.strtab + def.sym->st_name;  /* (checked by the lookup) */
	*slot_for(name, ref->hash) = (struct entry){name, ref->hash, def};
	used++;
	def.obj->nodelete = 1;
}

struct lt_symdef lt_unique_definition(const struct lt_ref *ref, struct lt_symdef found,
				      struct lt_object *requester)
{
	lt_mutex_lock(&table_lock);
	struct entry *e = capacity ? slot_for(ref->name, ref->hash) : 0;
	struct lt_symdef d = found;
	if (e && e->name) {
		/* A COPY relocation fills the program's copy from what its lookup found. */
		if (!(ref->flags & LT_LOOKUP_COPY))
			d = e->def;
	} else if (ref->flags & LT_LOOKUP_COPY) {
		/* The program's copy is the one definition from now on. */
		struct lt_ref own = *ref;
		own.flags = 0;
		const Elf64_Sym *s = requester ? lt_find_in_object(requester, &own) : 0;
		enter(ref, s ? (struct lt_symdef){s, requester} : found);
	} else {
		enter(ref, found);
	}
	lt_mutex_unlock(&table_lock);
	return d;
}

void lt_unique_forget(const struct lt_object *obj)
{
	lt_mutex_lock(&table_lock);
	for (size_t i = 0; i < capacity; i++)
		if (table[i].name && table[i].def.obj == obj) {
			if (rebuild(capacity, obj) < 0)
				lt_fatal("%s: out of memory for the table of unique symbols", obj->path);
			break;
		}
	lt_mutex_unlock(&table_lock);
}
