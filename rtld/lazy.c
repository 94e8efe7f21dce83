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
 * runs once even when many threads make the first call together.
 */
#include "rtld.h"
#include "alloc.h"
#include "arch.h"
#include "audit.h"
#include "lock.h"
#include "reloc.h"

static struct lt_mutex bind_lock;

int lt_lazy_prepare(struct lt_object *obj)
{
	int audited = lt_auditing() && lt_audit_watches_bindings();
	int watched = audited && lt_audit_watches_calls();
	obj->plt_bound = lt_alloc((obj->njmprel + 7) / 8);
	if (!obj->plt_bound) {
		lt_error("%s: out of memory preparing lazy binding", obj->path);
		return -1;
	}
	if (watched && lt_audit_prepare_calls(obj) < 0)
		return -1;
	obj->pltgot[1] = (uintptr_t)obj;
	obj->pltgot[2] = (uintptr_t)(audited ? arch_audit_trampoline() : lt_plt_trampoline);
	return 0;
}

/* Slot `index`'s target, bound the first time (written to the slot unless watched). */
static uint64_t bound_target(struct lt_object *obj, size_t index, int watched)
{
	lt_read_lock(&lt_loader_lock);
	if (index >= obj->njmprel)
		lt_fatal("%s: PLT stub passed relocation index %zu of %zu", obj->path, index,
			 obj->njmprel);
	const Elf64_Rela *r = &obj->jmprel[index];
	lt_mutex_lock(&bind_lock);
	uint64_t target;
	if (obj->plt_bound[index / 8] & (1 << index % 8)) {
		/* another thread was first, or (watched) an earlier call */
		target = watched ? lt_audit_slot_value(obj, index)
				 : *(uint64_t *)(obj->base + r->r_offset);
	} else {
		if ((watched ? lt_resolve_plt_slot : lt_bind_plt_slot)(obj, r, &target) < 0)
			lt_die();
		if (watched)
			lt_audit_keep_value(obj, index, target);
		obj->plt_bound[index / 8] |= 1 << index % 8;
	}
	lt_mutex_unlock(&bind_lock);
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
