/*
 * Relocation (reloc.c; the types and their arithmetic are in
 * arch/x86_64/) and lazy PLT binding (lazy.c; the trampoline is
 * arch/x86_64/plt.S).
 */
#ifndef LT_RELOC_H
#define LT_RELOC_H

#include "object.h"

/* Relocate `objs[0..n)` in that order (dependencies before their users), skipping done ones. */
int lt_relocate_in_order(struct lt_object **objs, size_t n);
/* Does this object use initial-exec TLS (so that what it refers to must be
 * at a fixed distance from the TP in every thread)? */
int lt_needs_static_tls(const struct lt_object *obj);
/* Does it reach TLS through TLS descriptors? */
int lt_uses_tls_descriptors(const struct lt_object *obj);
/* Bind one JUMP_SLOT now (lazily, on its first call): write it, return the target. */
int lt_bind_plt_slot(struct lt_object *obj, const Elf64_Rela *r, uint64_t *target);
/* The same, but leave the slot as it is (audit modules watch its calls). */
int lt_resolve_plt_slot(struct lt_object *obj, const Elf64_Rela *r, uint64_t *target);
/* Relocate an eagerly bound object again, in its scopes as they are now. */
int lt_relocate_again(struct lt_object *obj);

/*
 * --prelink: what relocation r of obj resolves to, for the cache.  1 and
 * *out (out->sym NULL: an undefined weak reference); 0 when there is
 * nothing to record (no symbol, one the object binds itself, or a lazily
 * bound slot nothing defines: its first call will say so); -1 when a start
 * would fail here (the error says why).
 */
struct lt_symdef;
int lt_reloc_answer(struct lt_object *obj, const Elf64_Rela *r, struct lt_symdef *out);

/* lazy.c */
int lt_lazy_prepare(struct lt_object *obj);
/* After the object's relocations: GOT[1] and GOT[2] still lead to it and to the trampoline. */
int lt_lazy_slots_intact(const struct lt_object *obj);
uintptr_t lt_lazy_bind(struct lt_object *obj, size_t index);
/* The audit trampoline's: bind (once, leaving the slot alone while calls
 * are watched), then la_pltenter; the target, and in *framesize what to
 * copy for la_pltexit. */
uintptr_t lt_lazy_bind_watched(struct lt_object *obj, size_t index, void *regs, long *framesize);

#endif
