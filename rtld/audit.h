/*
 * The rtld-audit interface (audit.c): modules named in LD_AUDIT or
 * --audit, and the points where the loader calls them.  Every hook costs
 * one test when no module is in use (lt_auditing).
 *
 * Audit modules live beside the program, not inside its scope: each module
 * and its dependencies form a group of their own, searched for the
 * module's symbols and never for the program's (glibc gives each module a
 * namespace, LM_ID_NEWLM).  The process keeps one libc: a module must be
 * built for the program's, and shares it.  doc/design.md, section 17.
 */
#ifndef LT_AUDIT_H
#define LT_AUDIT_H

#include "object.h"
#include "ld-teach/audit.h"

/* Modules in use: set once their la_version accepted the interface. */
extern unsigned lt_audit_count;

static inline int lt_auditing(void)
{
	return __builtin_expect(lt_audit_count != 0, 0);
}

/* --- start-up (boot.c brings the libc up between the steps) --- */
/* A colon-separated list of modules (LD_AUDIT first, then each --audit). */
void lt_audit_request(const char *list);
/* Load the requested modules and their dependencies (secure mode: as glibc
 * allows); each missing or broken one is skipped with a warning.  Returns
 * how many were loaded, and the modules in *roots. */
size_t lt_audit_load_modules(struct lt_object ***roots);
/* How many were loaded: before la_version chooses, what glibc's libc is
 * told (_rtld_global_ro, read-only by the time la_version answers). */
unsigned lt_audit_modules_loaded(void);
/* A module's group could not be relocated: it is not used. */
void lt_audit_relocation_failed(const struct lt_object *module);
/* The modules' libc runs, their constructors have run: la_version decides
 * which are used; the program is reported to those (la_objopen, then
 * la_activity LA_ACT_ADD). */
void lt_audit_begin(void);

/* --- loading and unloading --- */
/* la_objsearch: the name to try instead of `name`, or NULL to give it up.
 * `where` is an LA_SER_* value; `requester` the object the search is for. */
const char *lt_audit_objsearch(const char *name, const struct lt_object *requester,
			       unsigned where);
/* A new object joined the program's link map: la_objopen (after la_activity
 * LA_ACT_ADD, for the first of a batch). */
void lt_audit_objopen(struct lt_object *obj);
/* The link map is consistent again: la_activity LA_ACT_CONSISTENT. */
void lt_audit_consistent(void);
/* Objects are about to leave it: la_activity LA_ACT_DELETE. */
void lt_audit_deleting(void);
/* The object's destructors have run (or it never was constructed): la_objclose. */
void lt_audit_objclose(struct lt_object *obj);
/* Just before the program's main: la_preinit. */
void lt_audit_preinit(void);
/* The object's record is being freed: so is its audit state. */
void lt_audit_forget(struct lt_object *obj);

/* --- binding --- */
/* Does any module watch bindings (la_symbind64), or calls (la_pltenter, la_pltexit)? */
int lt_audit_watches_bindings(void);
int lt_audit_watches_calls(void);
/*
 * A PLT slot of `from` binds to `def` with `value`: la_symbind64 may change
 * the value.  `index` is the JUMP_SLOT's index; `now`: bound at load time
 * (no la_pltenter will follow).
 */
uint64_t lt_audit_symbind(struct lt_object *from, size_t index, const Elf64_Sym *sym,
			  struct lt_object *def, uint64_t value, int now);
/* A dlsym from `caller` found `sym` of `def`: la_symbind64 with LA_SYMB_DLSYM. */
void lt_audit_dlsym(struct lt_object *caller, const Elf64_Sym *sym, struct lt_object *def,
		    void **value);
/* Room for the per-slot records la_pltenter needs; -1 when out of memory. */
int lt_audit_prepare_calls(struct lt_object *obj);
/* A watched slot's value, kept here since the slot itself is never written. */
void lt_audit_keep_value(struct lt_object *obj, size_t index, uint64_t value);
uint64_t lt_audit_slot_value(const struct lt_object *obj, size_t index);
/* A call through PLT slot `index` of `obj`, already bound to `value`:
 * la_pltenter (the target, perhaps another), and the frame size to copy
 * (-1: no la_pltexit).  Then, after the call, la_pltexit. */
uint64_t lt_audit_pltenter(struct lt_object *obj, size_t index, uint64_t value, void *regs,
			   long *framesize);
void lt_audit_pltexit(struct lt_object *obj, size_t index, const void *inregs, void *outregs);

#endif
