/*
 * Lazy binding: a PLT slot is bound on the first call through it.
 *
 * At relocation time reloc.c only adds the load bias to each JUMP_SLOT
 * (its link-time value is its own PLT stub), and lt_lazy_prepare fills
 * GOT[1] with the object and GOT[2] with lt_plt_trampoline
 * (arch/x86_64/plt.S).  A stub's first call goes PLT0 -> trampoline ->
 * lt_lazy_bind, which resolves the symbol as an eager relocation would,
 * writes the slot and returns the target, to which the trampoline jumps.
 *
 * While an audit module watches bindings (la_symbind64) or calls
 * (la_pltenter, la_pltexit), GOT[2] is the audit trampoline
 * (arch/x86_64/audit.S) instead: it keeps every argument register, vector
 * ones at full width, around the modules' code.  When calls are watched the
 * slot is never written: every call comes through lt_lazy_bind_watched,
 * which binds the slot once (audit.c keeps the value) and lets the modules
 * see the call.
 *
 * Thread safety: the loader lock (read) keeps dlclose away; the bind lock
 * makes each slot's binding happen once, so an IFUNC resolver behind a slot
 * runs once even when many threads make the first call together.  The
 * thread that holds it may take it again: the resolver it runs may itself
 * call through the PLT (but not through the slot being bound).
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "lock.h"
#include "reloc.h"

static struct lt_mutex bind_lock;
static uintptr_t bind_owner;  /* the thread (this_thread) that holds bind_lock, or 0 */
/* The slots the owner is binding, the innermost last. */
static struct {
	const struct lt_object *obj;
	size_t index;
} binding[16];
static unsigned nbinding;

/* What GOT[2] holds: the trampoline the first call through a slot goes to. */
static uintptr_t trampoline(void)
{
	int audited = lt_auditing() && lt_audit_watches_bindings();
	return (uintptr_t)(audited ? arch_audit_trampoline() : lt_plt_trampoline);
}

int lt_lazy_prepare(struct lt_object *obj)
{
	int watched = lt_auditing() && lt_audit_watches_bindings() && lt_audit_watches_calls();
	obj->plt_bound = lt_alloc((obj->njmprel + 7) / 8);
	if (!obj->plt_bound) {
		lt_error("%s: out of memory preparing lazy binding", obj->path);
		return -1;
	}
	if (watched && lt_audit_prepare_calls(obj) < 0)
		return -1;
	obj->pltgot[1] = (uintptr_t)obj;
	obj->pltgot[2] = trampoline();
	return 0;
}

int lt_lazy_slots_intact(const struct lt_object *obj)
{
	if (obj->pltgot[1] == (uintptr_t)obj && obj->pltgot[2] == trampoline())
		return 0;
	lt_error("%s: a relocation overwrites GOT[1] or GOT[2], which lazy binding needs",
		 obj->path);
	return -1;
}

/*
 * The calling thread, without a system call (a gettid costs more than the
 * rest of a binding): its thread pointer, which every libc gives each
 * thread before any of the program's code runs, as glibc's own recursive
 * locks use it.  Before the program starts there is one thread, which may
 * have no thread pointer yet.
 */
static uintptr_t this_thread(void)
{
	return lt.started ? arch_thread_pointer() : 1;
}

/* The executable segment the last target lay in, good while no object has
 * been unloaded since: most targets lie in the same few (libc's code).
 * (Read and written under the bind lock.) */
static struct {
	uintptr_t start, end;
	unsigned long long removed;  /* lt.objects_removed then */
} last_code;

/* Is addr inside an executable segment of a loaded object? */
static int is_code(uintptr_t addr)
{
	if (addr - last_code.start < last_code.end - last_code.start &&
	    last_code.removed == lt.objects_removed)
		return 1;
	const struct lt_object *o = lt_object_containing(addr);
	const struct lt_segment *s = o ? lt_object_segment(o, addr, 1) : 0;
	if (!s || !(s->prot & PROT_EXEC))
		return 0;
	last_code.start = s->start;
	last_code.end = s->end;
	last_code.removed = lt.objects_removed;
	return 1;
}

/*
 * Is obj a loaded object?  The trampoline's object is what PLT0 pushed from
 * GOT[1], or, when the program's own code has gone astray into a PLT, any
 * word of its stack: it is looked for among the loaded objects before
 * anything is read through it.  The last one found is asked first, while no
 * object has been unloaded since (racing threads each store one that was
 * loaded in that same state: the loader lock, held for reading, keeps
 * dlclose out).
 */
static int is_loaded(const struct lt_object *obj)
{
	static const struct lt_object *last;
	static unsigned long long last_removed;
	if (obj == __atomic_load_n(&last, __ATOMIC_RELAXED) &&
	    __atomic_load_n(&last_removed, __ATOMIC_RELAXED) == lt.objects_removed)
		return 1;
	for (const struct lt_object *o = lt.head; o; o = o->next) {
		if (o == obj) {
			__atomic_store_n(&last, obj, __ATOMIC_RELAXED);
			__atomic_store_n(&last_removed, lt.objects_removed, __ATOMIC_RELAXED);
			return 1;
		}
	}
	return 0;
}

/* A binding inside a binding: refuse a loop, or a nest deeper than any resolver needs. */
static void check_nesting(const struct lt_object *obj, size_t index)
{
	for (unsigned i = 0; i < nbinding; i++)
		if (binding[i].obj == obj && binding[i].index == index)
			lt_fatal("%s: binding PLT slot %zu calls through that same slot (an IFUNC "
				 "resolver that needs itself)", obj->path, index);
	if (nbinding == sizeof binding / sizeof *binding)
		lt_fatal("%s: lazy binding nests too deep (IFUNC resolvers calling through the PLT)",
			 obj->path);
}

/* Slot `index`'s target, bound the first time (written to the slot unless watched). */
static uint64_t bound_target(struct lt_object *obj, size_t index, int watched)
{
	lt_read_lock(&lt_loader_lock);
	if (!is_loaded(obj))
		lt_fatal("%s: the PLT trampoline was entered for %p, which is no loaded object (a "
			 "jump into a PLT from elsewhere?)", lt.main->path, (void *)obj);
	if (index >= obj->njmprel)
		lt_fatal("%s: PLT stub passed relocation index %zu of %zu", obj->path, index,
			 obj->njmprel);
	const Elf64_Rela *r = &obj->jmprel[index];
	uintptr_t self = this_thread();
	int nested = __atomic_load_n(&bind_owner, __ATOMIC_RELAXED) == self;
	if (nested) {
		check_nesting(obj, index);
	} else {
		lt_mutex_lock(&bind_lock);
		bind_owner = self;
	}
	binding[nbinding].obj = obj;
	binding[nbinding++].index = index;
	uint64_t target;
	if (obj->plt_bound[index / 8] & (1 << index % 8)) {
		/* another thread was first, or (watched) an earlier call */
		target = watched ? lt_audit_slot_value(obj, index)
				 : *(uint64_t *)(obj->base + r->r_offset);
	} else {
		if ((watched ? lt_resolve_plt_slot : lt_bind_plt_slot)(obj, r, &target) < 0)
			lt_die();
		/* The trampoline jumps there: only into code (S + A may be anything). */
		if (!is_code(target))
			lt_fatal("%s: PLT slot %zu is bound to %#lx, which is no object's code",
				 obj->path, index, (unsigned long)target);
		if (watched)
			lt_audit_keep_value(obj, index, target);
		obj->plt_bound[index / 8] |= 1 << index % 8;
	}
	nbinding--;
	if (!nested) {
		bind_owner = 0;
		lt_mutex_unlock(&bind_lock);
	}
	lt_read_unlock(&lt_loader_lock);
	return target;
}

uintptr_t lt_lazy_bind(struct lt_object *obj, size_t index)
{
	return bound_target(obj, index, 0);
}

/* (Only la_symbind64 watches: the slot is written, as by lt_lazy_bind, and
 * *framesize stays -1.) */
uintptr_t lt_lazy_bind_watched(struct lt_object *obj, size_t index, void *regs, long *framesize)
{
	if (!lt_audit_watches_calls())
		return bound_target(obj, index, 0);
	uint64_t target = bound_target(obj, index, 1);
	return lt_audit_pltenter(obj, index, target, regs, framesize);
}
