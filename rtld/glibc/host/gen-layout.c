/* gen-layout: writes layout.h and layout-check.h, the sizes and offsets of
 * glibc's loader data model, read from the DWARF that libc6-dbg installs
 * for the system's ld.so and libc.so.6.  A host tool of the build; it is
 * never linked into ld-teach.
 *
 *   gen-layout [--libc FILE] [--ld FILE] [--debug-dir DIR]
 *              [--ld-debug FILE] [--libc-debug FILE]
 *              --out LAYOUT_H --check-out LAYOUT_CHECK_H
 *
 * Every layout comes from ld.so's debug file; libc.so.6's debug file must
 * agree with it, and so must the _thread_db_* descriptors libc.so.6
 * exports.  Two tables of ld.so are copied too: tunable_list's names and
 * intel_02_known, Intel's CPUID leaf-2 cache descriptors (their addresses
 * and types from the DWARF, their bytes from the ld.so file).  Any missing
 * type, member or table, or any disagreement, is fatal: one line on
 * stderr, exit status 1, and no output file is written.
 */
#define _POSIX_C_SOURCE 200809L
#include <dwarf.h>
#include <errno.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_NAME 256

/* ------------------------------------------------------------------------
 * Failing, and the outputs that must not survive a failure.
 */

struct output {
	const char *path;
	char tmp[MAX_NAME + 8];
	FILE *f;
};

static struct output *outputs[2];

static void remove_partial_outputs(void)
{
	for (size_t i = 0; i < 2; i++)
		if (outputs[i] && outputs[i]->f) {
			fclose(outputs[i]->f);
			unlink(outputs[i]->tmp);
			outputs[i]->f = NULL;
		}
}

__attribute__((noreturn, format(printf, 1, 2))) static void fatal(const char *fmt, ...)
{
	va_list ap;
	fputs("gen-layout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	remove_partial_outputs();
	exit(1);
}

static void open_output(struct output *o, const char *path, size_t slot)
{
	if (strlen(path) > MAX_NAME)
		fatal("%s: path too long", path);
	o->path = path;
	snprintf(o->tmp, sizeof o->tmp, "%s.tmp", path);
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		fatal("%s: cannot create", o->tmp);
	outputs[slot] = o;
}

static void commit_output(struct output *o)
{
	FILE *f = o->f;
	o->f = NULL;
	if (ferror(f) | fclose(f)) {
		unlink(o->tmp);
		fatal("%s: write error", o->tmp);
	}
	if (rename(o->tmp, o->path) != 0) {
		unlink(o->tmp);
		fatal("%s: cannot rename to %s", o->tmp, o->path);
	}
}

/* ------------------------------------------------------------------------
 * ELF files: build-ids, and bytes at a virtual address.
 */

struct elf_file {
	const char *path;
	int fd;
	Elf *elf;
};

struct build_id {
	unsigned char bytes[64];
	size_t len;
	char hex[129];
};

static void open_elf(struct elf_file *ef, const char *path)
{
	ef->path = path;
	ef->fd = open(path, O_RDONLY);
	if (ef->fd < 0)
		fatal("%s: cannot open: %s", path, strerror(errno));
	ef->elf = elf_begin(ef->fd, ELF_C_READ_MMAP, NULL);
	if (!ef->elf || elf_kind(ef->elf) != ELF_K_ELF)
		fatal("%s: not an ELF file", path);
}

static bool build_id_in_note_data(Elf_Data *data, struct build_id *id)
{
	GElf_Nhdr nhdr;
	size_t off = 0, name_off, desc_off, next;
	while ((next = gelf_getnote(data, off, &nhdr, &name_off, &desc_off)) > 0) {
		const char *name = (const char *)data->d_buf + name_off;
		if (nhdr.n_type == NT_GNU_BUILD_ID && nhdr.n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
		    nhdr.n_descsz > 0 && nhdr.n_descsz <= sizeof id->bytes) {
			id->len = nhdr.n_descsz;
			memcpy(id->bytes, (const char *)data->d_buf + desc_off, id->len);
			for (size_t i = 0; i < id->len; i++)
				sprintf(id->hex + 2 * i, "%02x", id->bytes[i]);
			return true;
		}
		off = next;
	}
	return false;
}

/* Debug files keep the note sections of the object they describe, so the
 * same search works for both. */
static bool find_build_id(struct elf_file *ef, struct build_id *id)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	while ((scn = elf_nextscn(ef->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (data && build_id_in_note_data(data, id))
			return true;
	}
	return false;
}

static void read_build_id(struct elf_file *ef, struct build_id *id)
{
	if (!find_build_id(ef, id))
		fatal("%s: no NT_GNU_BUILD_ID note", ef->path);
}

/* The file bytes behind [vaddr, vaddr + size), or NULL if they are not all
 * inside one PT_LOAD segment's file image. */
static const unsigned char *bytes_at(struct elf_file *ef, uint64_t vaddr, uint64_t size)
{
	size_t phnum, file_size;
	const unsigned char *file = (const unsigned char *)elf_rawfile(ef->elf, &file_size);
	if (!file || elf_getphdrnum(ef->elf, &phnum) != 0)
		return NULL;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(ef->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr < ph.p_vaddr || vaddr - ph.p_vaddr > ph.p_filesz || size > ph.p_filesz - (vaddr - ph.p_vaddr))
			continue;
		uint64_t off = ph.p_offset + (vaddr - ph.p_vaddr);
		if (off > file_size || size > file_size - off)
			return NULL;
		return file + off;
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * Debug files.
 */

struct debug_file {
	char path[MAX_NAME + 64];
	struct elf_file ef;
	Dwarf *dwarf;
};

static bool file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The debug file named by an object's build-id, or the one given, which
 * must then carry the same build-id. */
static void open_debug_file(struct debug_file *df, const char *object, const struct build_id *id,
			    const char *debug_dir, const char *given)
{
	if (given)
		snprintf(df->path, sizeof df->path, "%s", given);
	else
		snprintf(df->path, sizeof df->path, "%s/.build-id/%.2s/%s.debug", debug_dir, id->hex, id->hex + 2);
	if (!file_exists(df->path))
		fatal("no debug information for %s (build-id %s): %s does not exist; libc6-dbg is not installed, "
		      "or not the version of libc6: apt-get install libc6-dbg",
		      object, id->hex, df->path);
	open_elf(&df->ef, df->path);
	struct build_id own;
	if (!find_build_id(&df->ef, &own))
		fatal("%s: no NT_GNU_BUILD_ID note, so it cannot be matched to %s", df->path, object);
	if (own.len != id->len || memcmp(own.bytes, id->bytes, id->len) != 0)
		fatal("%s: build-id %s, but %s has build-id %s", df->path, own.hex, object, id->hex);
	df->dwarf = dwarf_begin_elf(df->ef.elf, DWARF_C_READ, NULL);
	if (!df->dwarf)
		fatal("%s: no DWARF debug information (%s)", df->path, dwarf_errmsg(-1));
}

/* ------------------------------------------------------------------------
 * DWARF helpers.
 */

static bool attr_udata(Dwarf_Die *die, unsigned int name, Dwarf_Word *value)
{
	Dwarf_Attribute attr;
	return dwarf_attr_integrate(die, name, &attr) && dwarf_formudata(&attr, value) == 0;
}

static bool type_of(Dwarf_Die *die, Dwarf_Die *type)
{
	Dwarf_Attribute attr;
	return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, type);
}

static void peel(Dwarf_Die *type, Dwarf_Die *result)
{
	if (dwarf_peel_type(type, result) != 0)
		fatal("cannot see through typedef %s", dwarf_diename(type) ? dwarf_diename(type) : "?");
}

static bool is_aggregate(Dwarf_Die *type)
{
	int tag = dwarf_tag(type);
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
}

static bool is_declaration(Dwarf_Die *die)
{
	bool flag = false;
	Dwarf_Attribute attr;
	if (dwarf_attr(die, DW_AT_declaration, &attr))
		dwarf_formflag(&attr, &flag);
	return flag;
}

/* Calls visit on every DIE directly below a unit DIE (where C types and
 * file-scope variables live) until it returns true. */
typedef bool top_level_visitor(Dwarf_Die *die, void *ctx);

static void for_each_top_level_die(Dwarf *dwarf, top_level_visitor *visit, void *ctx)
{
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie, subdie, die;
	Dwarf_Half version;
	uint8_t unit_type;
	int rc;
	while ((rc = dwarf_get_units(dwarf, cu, &cu, &version, &unit_type, &cudie, &subdie)) == 0) {
		if (dwarf_child(&cudie, &die) != 0)
			continue;
		do {
			if (visit(&die, ctx))
				return;
		} while (dwarf_siblingof(&die, &die) == 0);
	}
	if (rc < 0)
		fatal("cannot read DWARF units: %s", dwarf_errmsg(-1));
}

/* ------------------------------------------------------------------------
 * Sizes, arrays, alignment.
 */

struct array_shape {
	bool is_array;
	uint64_t len;       /* first dimension */
	uint64_t elem_size; /* one step of the first dimension */
};

/* 0 for a flexible array member, which has no bound. */
static uint64_t subrange_length(Dwarf_Die *subrange)
{
	Dwarf_Word n;
	if (attr_udata(subrange, DW_AT_count, &n))
		return n;
	if (attr_udata(subrange, DW_AT_upper_bound, &n) && n != (Dwarf_Word)-1)
		return n + 1;
	return 0;
}

static uint64_t type_size(Dwarf_Die *type);

static struct array_shape array_shape(Dwarf_Die *type)
{
	struct array_shape shape = { false, 0, 0 };
	Dwarf_Die peeled, elem, dim;
	peel(type, &peeled);
	if (dwarf_tag(&peeled) != DW_TAG_array_type)
		return shape;
	shape.is_array = true;
	if (!type_of(&peeled, &elem))
		fatal("array type without element type");
	uint64_t inner = type_size(&elem);
	bool first = true;
	if (dwarf_child(&peeled, &dim) == 0)
		do {
			if (dwarf_tag(&dim) != DW_TAG_subrange_type)
				continue;
			if (first)
				shape.len = subrange_length(&dim);
			else
				inner *= subrange_length(&dim);
			first = false;
		} while (dwarf_siblingof(&dim, &dim) == 0);
	shape.elem_size = inner;
	return shape;
}

static uint64_t type_size(Dwarf_Die *type)
{
	struct array_shape shape = array_shape(type);
	if (shape.is_array)
		return shape.len * shape.elem_size;
	Dwarf_Word size;
	if (dwarf_aggregate_size(type, &size) != 0)
		fatal("no size for type %s", dwarf_diename(type) ? dwarf_diename(type) : "(anonymous)");
	return size;
}

/* ------------------------------------------------------------------------
 * Members and member paths.
 */

static uint64_t member_bit_offset(Dwarf_Die *member)
{
	Dwarf_Word value;
	if (attr_udata(member, DW_AT_data_bit_offset, &value))
		return value;
	if (dwarf_hasattr(member, DW_AT_bit_offset))
		fatal("member %s: DWARF 2 bit-field encoding is not supported", dwarf_diename(member));
	if (!dwarf_hasattr(member, DW_AT_data_member_location))
		return 0; /* a union member */
	if (!attr_udata(member, DW_AT_data_member_location, &value))
		fatal("member %s: location is not a constant", dwarf_diename(member));
	return value * 8;
}

static bool member_aggregate(Dwarf_Die *member, Dwarf_Die *aggregate)
{
	Dwarf_Die type;
	if (!type_of(member, &type))
		return false;
	peel(&type, aggregate);
	return is_aggregate(aggregate);
}

/* Finds NAME among AGGREGATE's members, looking into anonymous struct and
 * union members as C does. */
static bool find_member(Dwarf_Die *aggregate, const char *name, Dwarf_Die *found, uint64_t *bit_offset)
{
	Dwarf_Die child, inner;
	if (dwarf_child(aggregate, &child) != 0)
		return false;
	do {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&child);
		uint64_t off = member_bit_offset(&child);
		if (n && strcmp(n, name) == 0) {
			*found = child;
			*bit_offset = off;
			return true;
		}
		if (!n && member_aggregate(&child, &inner) && find_member(&inner, name, found, bit_offset)) {
			*bit_offset += off;
			return true;
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return false;
}

/* Where a member path such as "rseq_area.cpu_id" lands inside a type.
 * Arrays on the way are entered at element 0. */
struct place {
	Dwarf_Die member;
	Dwarf_Die type;
	uint64_t bit_offset;
};

static bool aggregate_for_step(Dwarf_Die *type, Dwarf_Die *aggregate)
{
	Dwarf_Die peeled, elem;
	peel(type, &peeled);
	while (dwarf_tag(&peeled) == DW_TAG_array_type) {
		if (!type_of(&peeled, &elem))
			return false;
		peel(&elem, &peeled);
	}
	*aggregate = peeled;
	return is_aggregate(aggregate);
}

static bool resolve_path(Dwarf_Die *root_type, const char *path, struct place *p)
{
	char step[MAX_NAME];
	Dwarf_Die current = *root_type, aggregate;
	uint64_t total = 0, off;
	const char *s = path;
	while (*s) {
		size_t n = strcspn(s, ".");
		if (n >= sizeof step)
			return false;
		memcpy(step, s, n);
		step[n] = '\0';
		if (!aggregate_for_step(&current, &aggregate) || !find_member(&aggregate, step, &p->member, &off))
			return false;
		total += off;
		if (!type_of(&p->member, &current))
			return false;
		s += n + (s[n] == '.');
	}
	p->type = current;
	p->bit_offset = total;
	return s != path;
}

/* ------------------------------------------------------------------------
 * What to look up.  Field names are glibc's; a leading '?' marks a member
 * that may be absent from other builds.
 */

enum lookup { BY_STRUCT, BY_UNION, BY_TYPEDEF, BY_MEMBER };

struct root {
	const char *name;          /* in macro names */
	enum lookup how;
	const char *dwarf_name;    /* struct/union/typedef name, or the member path in `parent` */
	const char *parent;        /* BY_MEMBER: the root whose member this is */
	const char *const *fields; /* required member paths */
	bool optional;
	Dwarf_Die die;             /* the type */
	Dwarf_Die member;          /* BY_MEMBER: the member, which may carry the alignment */
	bool found;
};

static const char *const rtld_global_fields[] = {
	"_dl_ns", "_dl_nns", "_dl_load_lock", "_dl_load_write_lock", "_dl_load_tls_lock", "_dl_load_adds",
	"_dl_initfirst", "_dl_profile_map", "_dl_num_relocations", "_dl_num_cache_relocations", "_dl_all_dirs",
	"_dl_rtld_map", "_dl_rtld_auditstate", "_dl_x86_feature_1", "_dl_x86_feature_control",
	"_dl_stack_flags", "_dl_tls_dtv_gaps", "_dl_tls_max_dtv_idx", "_dl_tls_dtv_slotinfo_list",
	"_dl_tls_static_nelem", "_dl_tls_static_used", "_dl_tls_static_optional", "_dl_initial_dtv",
	"_dl_tls_generation", "_dl_scope_free_list", "_dl_stack_used", "_dl_stack_user", "_dl_stack_cache",
	"_dl_stack_cache_actsize", "_dl_in_flight_stack", "_dl_stack_cache_lock", NULL
};

static const char *const link_namespaces_fields[] = {
	"_ns_loaded", "_ns_nloaded", "_ns_main_searchlist", "_ns_global_scope_alloc",
	"_ns_global_scope_pending_adds", "libc_map", "_ns_unique_sym_table", "_ns_debug", NULL
};

static const char *const rtld_global_ro_fields[] = {
	"_dl_debug_mask", "_dl_platform", "_dl_platformlen", "_dl_pagesize", "_dl_minsigstacksize",
	"_dl_inhibit_cache", "_dl_initial_searchlist", "_dl_clktck", "_dl_verbose", "_dl_debug_fd", "_dl_lazy",
	"_dl_bind_not", "_dl_dynamic_weak", "_dl_fpu_control", "_dl_hwcap", "_dl_auxv", "_dl_x86_cpu_features",
	"_dl_x86_hwcap_flags", "_dl_x86_platforms", "_dl_inhibit_rpath", "_dl_origin_path",
	"_dl_tls_static_size", "_dl_tls_static_align", "_dl_tls_static_surplus", "_dl_profile",
	"_dl_profile_output", "_dl_init_all_dirs", "_dl_sysinfo_dso", "_dl_sysinfo_map",
	"_dl_vdso_clock_gettime64", "_dl_vdso_gettimeofday", "_dl_vdso_time", "_dl_vdso_getcpu",
	"_dl_vdso_clock_getres_time64", "_dl_hwcap2", "_dl_dso_sort_algo", "_dl_debug_printf", "_dl_mcount",
	"_dl_lookup_symbol_x", "_dl_open", "_dl_close", "_dl_catch_error", "_dl_error_free",
	"_dl_tls_get_addr_soft", "_dl_libc_freeres", "_dl_find_object", "_dl_dlfcn_hook", "_dl_audit",
	"_dl_naudit", NULL
};

static const char *const cpu_features_fields[] = {
	"basic", "basic.kind", "basic.max_cpuid", "basic.family", "basic.model", "basic.stepping", "features",
	"preferred", "isa_1", "xsave_state_size", "xsave_state_full_size", "data_cache_size",
	"shared_cache_size", "non_temporal_threshold", "rep_movsb_threshold", "rep_movsb_stop_threshold",
	"rep_stosb_threshold", "level1_icache_size", "level1_icache_linesize", "level1_dcache_size",
	"level1_dcache_assoc", "level1_dcache_linesize", "level2_cache_size", "level2_cache_assoc",
	"level2_cache_linesize", "level3_cache_size", "level3_cache_assoc", "level3_cache_linesize",
	"level4_cache_size", NULL
};

static const char *const cpuid_feature_internal_fields[] = {
	"cpuid", "cpuid.eax", "cpuid.ebx", "cpuid.ecx", "cpuid.edx", "cpuid_array",
	"active", "active.eax", "active.ebx", "active.ecx", "active.edx", "active_array", NULL
};

static const char *const link_map_fields[] = {
	"l_addr", "l_name", "l_ld", "l_next", "l_prev", "l_real", "l_ns", "l_libname", "l_info", "l_phdr",
	"l_entry", "l_phnum", "l_ldnum", "l_searchlist", "l_searchlist.r_list", "l_searchlist.r_nlist",
	"l_symbolic_searchlist", "l_loader", "l_versions", "l_nversions", "l_nbuckets", "l_gnu_bitmask_idxbits",
	"l_gnu_shift", "l_gnu_bitmask", "l_gnu_buckets", "l_chain", "l_gnu_chain_zero", "l_buckets",
	"l_direct_opencount", "l_type", "l_dt_relr_ref", "l_relocated", "l_init_called", "l_global",
	"l_main_map", "l_visited", "l_map_used", "l_map_done", "l_phdr_allocated", "l_soname_added", "l_faked",
	"l_need_tls_init", "l_auditing", "l_audit_any_plt", "l_removed", "l_contiguous", "l_free_initfini",
	"l_ld_readonly", "l_find_object_processed", "l_nodelete_active", "l_nodelete_pending", "l_property",
	"l_versyms", "l_origin", "l_map_start", "l_map_end", "?l_text_end", "l_scope_mem", "l_scope_max",
	"l_scope", "l_local_scope", "l_initfini", "l_init_called_next", "l_reldeps", "l_used", "l_feature_1",
	"?l_flags_1", "l_flags", "l_idx", "l_tls_initimage", "l_tls_initimage_size", "l_tls_blocksize",
	"l_tls_align", "l_tls_firstbyte_offset", "l_tls_offset", "l_tls_modid", "l_tls_dtor_count",
	"l_relro_addr", "l_relro_size", "l_serial", NULL
};

/* Flags a loader sets bit by bit; those that are whole bytes in this build
 * get bit macros too, so one accessor serves them all. */
static const char *const link_map_flags[] = {
	"l_type", "l_dt_relr_ref", "l_relocated", "l_init_called", "l_global", "l_main_map", "l_visited",
	"l_map_used", "l_map_done", "l_phdr_allocated", "l_soname_added", "l_faked", "l_need_tls_init",
	"l_auditing", "l_audit_any_plt", "l_removed", "l_contiguous", "l_free_initfini", "l_ld_readonly",
	"l_find_object_processed", "l_nodelete_active", "l_nodelete_pending", "l_property", NULL
};

static const char *const tcbhead_fields[] = {
	"tcb", "dtv", "self", "multiple_threads", "gscope_flag", "sysinfo", "stack_guard", "pointer_guard",
	"unused_vgetcpu_cache", "feature_1", "__private_tm", "__private_ss", "ssp_base", "__glibc_unused2",
	"__padding", NULL
};

static const char *const pthread_fields[] = {
	"header", "header.tcb", "header.dtv", "header.self", "header.multiple_threads", "header.gscope_flag",
	"header.sysinfo", "header.stack_guard", "header.pointer_guard", "header.feature_1", "list", "list.next",
	"list.prev", "tid", "robust_prev", "robust_head", "robust_head.list", "robust_head.futex_offset",
	"robust_head.list_op_pending", "cleanup_jmp_buf", "cancelhandling", "flags", "specific_1stblock",
	"specific", "specific_used", "report_events", "user_stack", "stopped_start", "lock", "setxid_futex",
	"joinid", "result", "schedparam", "schedparam.sched_priority", "schedpolicy", "start_routine",
	"eventbuf", "eventbuf.eventmask", "eventbuf.eventmask.event_bits", "nextevent", "exc", "stackblock",
	"stackblock_size", "guardsize", "reported_guardsize", "tpp", "res", "sigmask", "c11", "exiting",
	"exit_lock", "tls_state", "?rseq_area", "?rseq_area.cpu_id_start", "?rseq_area.cpu_id",
	"?rseq_area.rseq_cs", "?rseq_area.flags", NULL
};

static const char *const rseq_area_fields[] = { "cpu_id_start", "cpu_id", "rseq_cs", "flags", NULL };
static const char *const dtv_fields[] = { "counter", "pointer", "pointer.val", "pointer.to_free", NULL };
static const char *const dtv_slotinfo_fields[] = { "gen", "map", NULL };
static const char *const dtv_slotinfo_list_fields[] = { "len", "next", "slotinfo", NULL };
static const char *const libname_list_fields[] = { "name", "next", "dont_free", NULL };
static const char *const r_scope_elem_fields[] = { "r_list", "r_nlist", NULL };
static const char *const r_debug_fields[] = { "r_version", "r_map", "r_brk", "r_state", "r_ldbase", NULL };
static const char *const r_debug_extended_fields[] = { "base", "base.r_map", "base.r_state", "r_next", NULL };
static const char *const r_found_version_fields[] = { "name", "hash", "hidden", "filename", NULL };
static const char *const dl_find_object_fields[] = {
	"dlfo_flags", "dlfo_map_start", "dlfo_map_end", "dlfo_link_map", "dlfo_eh_frame", "__dflo_reserved", NULL
};
static const char *const dl_exception_fields[] = { "objname", "errstring", "message_buffer", NULL };
static const char *const robust_list_head_fields[] = { "list", "futex_offset", "list_op_pending", NULL };
static const char *const pthread_mutex_fields[] = {
	"__lock", "__count", "__owner", "__nusers", "__kind", "__spins", "__elision", "__list", "__list.__prev",
	"__list.__next", NULL
};
static const char *const list_t_fields[] = { "next", "prev", NULL };
static const char *const td_eventbuf_t_fields[] = { "eventmask", "eventnum", "eventdata", NULL };
static const char *const td_thr_events_t_fields[] = { "event_bits", NULL };
static const char *const pthread_key_data_fields[] = { "seq", "data", NULL };
static const char *const tls_index_fields[] = { "ti_module", "ti_offset", NULL };

#define ROOT(n, how_, type, fields_) { .name = n, .how = how_, .dwarf_name = type, .fields = fields_ }

static struct root roots[] = {
	ROOT("rtld_global", BY_STRUCT, "rtld_global", rtld_global_fields),
	ROOT("link_namespaces", BY_STRUCT, "link_namespaces", link_namespaces_fields),
	ROOT("rtld_global_ro", BY_STRUCT, "rtld_global_ro", rtld_global_ro_fields),
	ROOT("cpu_features", BY_STRUCT, "cpu_features", cpu_features_fields),
	ROOT("cpuid_feature_internal", BY_STRUCT, "cpuid_feature_internal", cpuid_feature_internal_fields),
	ROOT("link_map", BY_STRUCT, "link_map", link_map_fields),
	ROOT("tcbhead_t", BY_TYPEDEF, "tcbhead_t", tcbhead_fields),
	ROOT("pthread", BY_STRUCT, "pthread", pthread_fields),
	{ .name = "rseq_area", .how = BY_MEMBER, .dwarf_name = "rseq_area", .parent = "pthread",
	  .fields = rseq_area_fields, .optional = true },
	ROOT("dtv", BY_UNION, "dtv", dtv_fields),
	ROOT("dtv_slotinfo", BY_STRUCT, "dtv_slotinfo", dtv_slotinfo_fields),
	ROOT("dtv_slotinfo_list", BY_STRUCT, "dtv_slotinfo_list", dtv_slotinfo_list_fields),
	ROOT("libname_list", BY_STRUCT, "libname_list", libname_list_fields),
	ROOT("r_scope_elem", BY_STRUCT, "r_scope_elem", r_scope_elem_fields),
	ROOT("r_debug", BY_STRUCT, "r_debug", r_debug_fields),
	ROOT("r_debug_extended", BY_STRUCT, "r_debug_extended", r_debug_extended_fields),
	ROOT("r_found_version", BY_STRUCT, "r_found_version", r_found_version_fields),
	ROOT("dl_find_object", BY_STRUCT, "dl_find_object", dl_find_object_fields),
	ROOT("dl_exception", BY_STRUCT, "dl_exception", dl_exception_fields),
	ROOT("robust_list_head", BY_STRUCT, "robust_list_head", robust_list_head_fields),
	/* The recursive locks in rtld_global wrap a pthread_mutex_t; these are
	 * the fields of its __data, checked to start the lock. */
	{ .name = "pthread_mutex", .how = BY_MEMBER, .dwarf_name = "_dl_load_lock.mutex.__data",
	  .parent = "rtld_global", .fields = pthread_mutex_fields },
	ROOT("list_t", BY_TYPEDEF, "list_t", list_t_fields),
	ROOT("td_eventbuf_t", BY_TYPEDEF, "td_eventbuf_t", td_eventbuf_t_fields),
	ROOT("td_thr_events_t", BY_TYPEDEF, "td_thr_events_t", td_thr_events_t_fields),
	ROOT("pthread_key_data", BY_STRUCT, "pthread_key_data", pthread_key_data_fields),
	ROOT("tls_index", BY_TYPEDEF, "tls_index", tls_index_fields), /* __tls_get_addr's argument */
};

#define NROOTS (sizeof roots / sizeof roots[0])

/* A root embedded in another: its fields are emitted again with the
 * offsets they have inside the outer root. */
struct embedding {
	const char *outer, *member, *inner;
};

static const struct embedding embeddings[] = {
	{ "rtld_global_ro", "_dl_x86_cpu_features", "cpu_features" },
};

static struct root *root_named(const char *name)
{
	for (size_t i = 0; i < NROOTS; i++)
		if (strcmp(roots[i].name, name) == 0)
			return &roots[i];
	fatal("internal: no root %s", name);
}

static const char *kind_word(enum lookup how)
{
	return how == BY_STRUCT ? "struct" : how == BY_UNION ? "union" : "typedef";
}

/* ------------------------------------------------------------------------
 * Finding the named types in a debug file.
 */

static bool matches_root(Dwarf_Die *die, const struct root *r)
{
	static const int tag_of[] = { [BY_STRUCT] = DW_TAG_structure_type, [BY_UNION] = DW_TAG_union_type,
				      [BY_TYPEDEF] = DW_TAG_typedef };
	const char *name = dwarf_diename(die);
	return r->how != BY_MEMBER && name && dwarf_tag(die) == tag_of[r->how] && strcmp(name, r->dwarf_name) == 0 &&
	       !is_declaration(die);
}

struct type_table {
	const char *file;
	Dwarf_Die dies[NROOTS];
	bool found[NROOTS];
	bool stop_when_complete; /* libc's debug file is large; first definitions suffice */
};

static bool table_complete(const struct type_table *t)
{
	for (size_t i = 0; i < NROOTS; i++)
		if (roots[i].how != BY_MEMBER && !t->found[i])
			return false;
	return true;
}

/* Records each root's first definition; later ones (other units) must
 * have the same size. */
static bool collect_type(Dwarf_Die *die, void *ctx)
{
	struct type_table *t = ctx;
	for (size_t i = 0; i < NROOTS; i++) {
		if (!matches_root(die, &roots[i]))
			continue;
		if (!t->found[i]) {
			t->dies[i] = *die;
			t->found[i] = true;
			return t->stop_when_complete && table_complete(t);
		}
		if (roots[i].how != BY_TYPEDEF && type_size(die) != type_size(&t->dies[i]))
			fatal("%s: %s %s has two sizes, %" PRIu64 " and %" PRIu64, t->file, kind_word(roots[i].how),
			      roots[i].dwarf_name, type_size(&t->dies[i]), type_size(die));
	}
	return false;
}

static void find_member_root(struct root *r, const char *file)
{
	struct root *parent = root_named(r->parent);
	struct place p;
	if (!resolve_path(&parent->die, r->dwarf_name, &p)) {
		if (r->optional)
			return;
		fatal("%s: %s has no member %s", file, parent->name, r->dwarf_name);
	}
	r->die = p.type;
	r->member = p.member;
	r->found = true;
}

static void find_roots(struct debug_file *ld)
{
	struct type_table table = { .file = ld->path };
	for_each_top_level_die(ld->dwarf, collect_type, &table);
	for (size_t i = 0; i < NROOTS; i++) {
		struct root *r = &roots[i];
		if (r->how == BY_MEMBER) {
			find_member_root(r, ld->path);
			continue;
		}
		if (!table.found[i])
			fatal("%s: %s %s not found (is this ld.so's debug file?)", ld->path, kind_word(r->how),
			      r->dwarf_name);
		r->die = table.dies[i];
		r->found = true;
	}
}

static void check_required_fields(struct root *r, const char *file)
{
	struct place p;
	for (const char *const *f = r->fields; *f; f++)
		if (**f != '?' && !resolve_path(&r->die, *f, &p))
			fatal("%s: %s has no member %s", file, r->name, *f);
}

/* The lock fields are emitted relative to the lock, which is only right if
 * the mutex data is all the lock holds. */
static void check_lock_is_mutex(const char *file)
{
	struct root *global = root_named("rtld_global"), *mutex = root_named("pthread_mutex");
	struct place lock, data;
	if (!resolve_path(&global->die, "_dl_load_lock", &lock) ||
	    !resolve_path(&global->die, "_dl_load_lock.mutex.__data", &data))
		fatal("%s: rtld_global._dl_load_lock is not a wrapped pthread_mutex_t", file);
	if (data.bit_offset != lock.bit_offset || type_size(&lock.type) != type_size(&mutex->die))
		fatal("%s: rtld_global._dl_load_lock is not just a pthread_mutex_t", file);
}

/* ------------------------------------------------------------------------
 * libc.so.6's own DWARF must describe the same layouts.
 */

static void compare_members(const char *file, const struct root *r, Dwarf_Die *ld_type, Dwarf_Die *libc_type)
{
	Dwarf_Die a, b, child, twin;
	uint64_t off;
	peel(ld_type, &a);
	peel(libc_type, &b);
	if (type_size(&a) != type_size(&b))
		fatal("%s: sizeof %s is %" PRIu64 ", but ld.so's DWARF says %" PRIu64, file, r->name, type_size(&b),
		      type_size(&a));
	if (dwarf_child(&a, &child) != 0)
		return;
	do {
		const char *name = dwarf_diename(&child);
		if (dwarf_tag(&child) != DW_TAG_member || !name)
			continue;
		if (!find_member(&b, name, &twin, &off))
			fatal("%s: %s has no member %s, unlike ld.so's", file, r->name, name);
		if (off != member_bit_offset(&child))
			fatal("%s: %s.%s is at bit %" PRIu64 ", unlike ld.so's", file, r->name, name, off);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* Returns how many roots libc's DWARF has, all of which agree. */
static size_t cross_check_libc_dwarf(struct debug_file *libc, char *names, size_t names_size)
{
	struct type_table table = { .file = libc->path, .stop_when_complete = true };
	size_t agreed = 0;
	for_each_top_level_die(libc->dwarf, collect_type, &table);
	names[0] = '\0';
	for (size_t i = 0; i < NROOTS; i++) {
		if (!table.found[i])
			continue;
		compare_members(libc->path, &roots[i], &roots[i].die, &table.dies[i]);
		agreed++;
		size_t used = strlen(names);
		snprintf(names + used, names_size - used, "%s%s", used ? " " : "", roots[i].name);
	}
	return agreed;
}

/* ------------------------------------------------------------------------
 * Writing macros.
 */

static void put_dotted(FILE *out, const char *name)
{
	for (const char *s = name; *s; s++)
		if (*s == '.')
			fputs("__", out);
		else
			fputc(*s, out);
}

/* GLIBC_<KIND>_<root>[__<member path>], a '.' written as "__" */
static void define_signed(FILE *out, const char *kind, const char *root, const char *path, int64_t value)
{
	fprintf(out, "#define GLIBC_%s_", kind);
	put_dotted(out, root);
	if (path) {
		fputs("__", out);
		put_dotted(out, path);
	}
	fprintf(out, value < 0 ? " (%" PRId64 ")\n" : " %" PRId64 "\n", value);
}

static void define(FILE *out, const char *kind, const char *root, const char *path, uint64_t value)
{
	if (value > INT64_MAX)
		fatal("%s %s.%s: value out of range", kind, root, path ? path : "");
	define_signed(out, kind, root, path, (int64_t)value);
}

static void emit_place(FILE *out, const char *root, const char *path, struct place *p)
{
	int bits = dwarf_bitsize(&p->member);
	if (bits > 0) {
		define(out, "BITOFF", root, path, p->bit_offset);
		define(out, "BITSIZE", root, path, (uint64_t)bits);
		return;
	}
	define(out, "OFF", root, path, p->bit_offset / 8);
	define(out, "SIZEOF", root, path, type_size(&p->type));
	struct array_shape shape = array_shape(&p->type);
	if (shape.is_array) {
		define(out, "LEN", root, path, shape.len);
		define(out, "ELEMSIZE", root, path, shape.elem_size);
	}
}

/* Every named member, members of anonymous structs and unions included,
 * under PREFIX (a member path, or NULL for the root itself). */
static void emit_members(FILE *out, const char *root, const char *prefix, Dwarf_Die *aggregate, uint64_t base)
{
	Dwarf_Die child, inner;
	char path[MAX_NAME];
	if (dwarf_child(aggregate, &child) != 0)
		return;
	do {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		const char *name = dwarf_diename(&child);
		uint64_t off = base + member_bit_offset(&child);
		if (!name) {
			if (member_aggregate(&child, &inner))
				emit_members(out, root, prefix, &inner, off);
			continue;
		}
		struct place p = { .member = child, .bit_offset = off };
		if (!type_of(&child, &p.type))
			fatal("%s.%s has no type", root, name);
		snprintf(path, sizeof path, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", name);
		emit_place(out, root, path, &p);
	} while (dwarf_siblingof(&child, &child) == 0);
}

/* Required paths that reach below the first level (the first level is
 * emitted whole), and a note for each optional member this build lacks. */
static void emit_nested_fields(FILE *out, const char *root, const char *prefix, struct root *r,
			       uint64_t base)
{
	char path[MAX_NAME];
	struct place p;
	for (const char *const *f = r->fields; *f; f++) {
		const char *field = **f == '?' ? *f + 1 : *f;
		if (!resolve_path(&r->die, field, &p)) {
			fprintf(out, "/* %s.%s: not in this build */\n", r->name, field);
			continue;
		}
		if (!strchr(field, '.'))
			continue;
		snprintf(path, sizeof path, "%s%s%s", prefix ? prefix : "", prefix ? "." : "", field);
		p.bit_offset += base;
		emit_place(out, root, path, &p);
	}
}

static bool explicit_alignment(Dwarf_Die *type, uint64_t *align)
{
	Dwarf_Die next = *type;
	for (;;) {
		Dwarf_Word a;
		if (attr_udata(&next, DW_AT_alignment, &a)) {
			*align = a;
			return true;
		}
		int tag = dwarf_tag(&next);
		if ((tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type) ||
		    !type_of(&next, &next))
			return false;
	}
}

static uint64_t alignment(Dwarf_Die *type);

static uint64_t derived_alignment(Dwarf_Die *type)
{
	Dwarf_Die peeled, part;
	Dwarf_Word a;
	peel(type, &peeled);
	if (dwarf_tag(&peeled) == DW_TAG_array_type) {
		if (!type_of(&peeled, &part))
			fatal("array type without element type");
		return alignment(&part);
	}
	if (!is_aggregate(&peeled))
		return type_size(&peeled);
	uint64_t max = 1;
	if (dwarf_child(&peeled, &part) == 0)
		do {
			Dwarf_Die member_type;
			if (dwarf_tag(&part) != DW_TAG_member || !type_of(&part, &member_type))
				continue;
			uint64_t m = attr_udata(&part, DW_AT_alignment, &a) ? a : alignment(&member_type);
			max = m > max ? m : max;
		} while (dwarf_siblingof(&part, &part) == 0);
	return max;
}

static uint64_t alignment(Dwarf_Die *type)
{
	uint64_t a;
	return explicit_alignment(type, &a) ? a : derived_alignment(type);
}

/* DW_AT_alignment where the source asked for an alignment; otherwise
 * derived from the members, as the ABI does, and marked so. */
static void emit_alignment(FILE *out, struct root *r)
{
	Dwarf_Word a;
	if ((r->how == BY_MEMBER && attr_udata(&r->member, DW_AT_alignment, &a)) || explicit_alignment(&r->die, &a)) {
		define(out, "ALIGNOF", r->name, NULL, a);
		return;
	}
	fprintf(out, "#define GLIBC_ALIGNOF_%s %" PRIu64 " /* derived */\n", r->name, derived_alignment(&r->die));
}

static void emit_root(FILE *out, struct root *r)
{
	Dwarf_Die aggregate;
	if (!r->found) {
		fprintf(out, "\n/* %s: not in this build */\n", r->name);
		return;
	}
	if (r->how == BY_MEMBER)
		fprintf(out, "\n/* %s: the type of %s.%s */\n", r->name, r->parent, r->dwarf_name);
	else
		fprintf(out, "\n/* %s %s */\n", kind_word(r->how), r->dwarf_name);
	define(out, "SIZEOF", r->name, NULL, type_size(&r->die));
	emit_alignment(out, r);
	peel(&r->die, &aggregate);
	emit_members(out, r->name, NULL, &aggregate, 0);
	emit_nested_fields(out, r->name, NULL, r, 0);
}

static void emit_embedding(FILE *out, const struct embedding *e)
{
	struct root *outer = root_named(e->outer), *inner = root_named(e->inner);
	struct place p;
	Dwarf_Die aggregate;
	if (!resolve_path(&outer->die, e->member, &p))
		fatal("%s has no member %s", e->outer, e->member);
	fprintf(out, "\n/* %s inside %s.%s */\n", inner->name, outer->name, e->member);
	peel(&inner->die, &aggregate);
	emit_members(out, outer->name, e->member, &aggregate, p.bit_offset);
	emit_nested_fields(out, outer->name, e->member, inner, p.bit_offset);
}

/* Byte-sized flags get the same bit macros as the bit-fields beside them. */
static void emit_link_map_flag_bits(FILE *out)
{
	struct root *lm = root_named("link_map");
	struct place p;
	fprintf(out, "\n/* link_map flags that are whole bytes in this build, as bit-fields */\n");
	for (const char *const *f = link_map_flags; *f; f++) {
		if (!resolve_path(&lm->die, *f, &p))
			fatal("link_map has no member %s", *f);
		if (dwarf_bitsize(&p.member) > 0)
			continue;
		define(out, "BITOFF", "link_map", *f, p.bit_offset);
		define(out, "BITSIZE", "link_map", *f, 8 * type_size(&p.type));
	}
}

/* ------------------------------------------------------------------------
 * l_info indexes.  DWARF has the array's length but not glibc's DT_*
 * macros, so DT_NUM comes from <elf.h>, and the length must then leave no
 * room for processor-specific entries, which x86_64 does not have.
 */

static void emit_l_info_indexes(FILE *out)
{
	struct place p;
	if (!resolve_path(&root_named("link_map")->die, "l_info", &p))
		fatal("link_map has no member l_info");
	uint64_t len = array_shape(&p.type).len;
	uint64_t fixed = DT_NUM + DT_VERSIONTAGNUM + DT_EXTRANUM + DT_VALNUM + DT_ADDRNUM;
	if (len != fixed)
		fatal("link_map.l_info has %" PRIu64 " entries, but <elf.h> (DT_NUM %d) predicts %" PRIu64
		      " for x86_64",
		      len, DT_NUM, fixed);
	uint64_t version = DT_NUM, extra = version + DT_VERSIONTAGNUM, val = extra + DT_EXTRANUM,
		 addr = val + DT_VALNUM;
	fprintf(out, "\n/* l_info indexes: a tag below DT_NUM is its own index; the other ranges follow */\n");
	fprintf(out, "#define GLIBC_DT_NUM %d\n", DT_NUM);
	define(out, "LINFO", "VERSIONTAG_BASE", NULL, version);
	define(out, "LINFO", "EXTRA_BASE", NULL, extra);
	define(out, "LINFO", "VAL_BASE", NULL, val);
	define(out, "LINFO", "ADDR_BASE", NULL, addr);
	define(out, "LINFO", "DT_VERSYM", NULL, version + DT_VERSIONTAGIDX(DT_VERSYM));
	define(out, "LINFO", "DT_RELACOUNT", NULL, version + DT_VERSIONTAGIDX(DT_RELACOUNT));
	define(out, "LINFO", "DT_FLAGS_1", NULL, version + DT_VERSIONTAGIDX(DT_FLAGS_1));
	define(out, "LINFO", "DT_VERDEF", NULL, version + DT_VERSIONTAGIDX(DT_VERDEF));
	define(out, "LINFO", "DT_VERDEFNUM", NULL, version + DT_VERSIONTAGIDX(DT_VERDEFNUM));
	define(out, "LINFO", "DT_VERNEED", NULL, version + DT_VERSIONTAGIDX(DT_VERNEED));
	define(out, "LINFO", "DT_VERNEEDNUM", NULL, version + DT_VERSIONTAGIDX(DT_VERNEEDNUM));
	define(out, "LINFO", "DT_GNU_HASH", NULL, addr + DT_ADDRTAGIDX(DT_GNU_HASH));
}

/* ------------------------------------------------------------------------
 * Enumerators.  Each group is the whole enumeration that holds the anchor.
 */

struct enum_search {
	const char *anchor;
	Dwarf_Die found;
	bool ok;
};

static bool enumeration_has(Dwarf_Die *enumeration, const char *name)
{
	Dwarf_Die e;
	if (dwarf_child(enumeration, &e) != 0)
		return false;
	do {
		const char *n = dwarf_diename(&e);
		if (dwarf_tag(&e) == DW_TAG_enumerator && n && strcmp(n, name) == 0)
			return true;
	} while (dwarf_siblingof(&e, &e) == 0);
	return false;
}

static bool visit_enumeration(Dwarf_Die *die, void *ctx)
{
	struct enum_search *s = ctx;
	if (dwarf_tag(die) != DW_TAG_enumeration_type || !enumeration_has(die, s->anchor))
		return false;
	s->found = *die;
	s->ok = true;
	return true;
}

static bool find_enumeration(Dwarf *dwarf, const char *anchor, Dwarf_Die *enumeration)
{
	struct enum_search s = { .anchor = anchor };
	for_each_top_level_die(dwarf, visit_enumeration, &s);
	*enumeration = s.found;
	return s.ok;
}

static int64_t enumerator_value(Dwarf_Die *e)
{
	Dwarf_Attribute attr;
	Dwarf_Sword s;
	Dwarf_Word u;
	if (!dwarf_attr(e, DW_AT_const_value, &attr))
		fatal("enumerator %s has no value", dwarf_diename(e));
	if (dwarf_whatform(&attr) == DW_FORM_sdata && dwarf_formsdata(&attr, &s) == 0)
		return s;
	if (dwarf_formudata(&attr, &u) != 0 || u > INT64_MAX)
		fatal("enumerator %s: unreadable value", dwarf_diename(e));
	return (int64_t)u;
}

static const struct {
	const char *anchor;
	bool required;
} enum_groups[] = {
	{ "lt_executable", true },         /* link_map.l_type */
	{ "RT_CONSISTENT", true },         /* r_debug.r_state */
	{ "RSEQ_CPU_ID_REGISTRATION_FAILED", false },
	{ "arch_kind_unknown", false },    /* cpu_features.basic.kind */
	{ "CPUID_INDEX_1", false },        /* cpu_features.features[] */
	{ "CPUID_INDEX_MAX", false },
	{ "PREFERRED_FEATURE_INDEX_1", false },
	{ "_bitindex_arch_Fast_Rep_String", false }, /* bits of cpu_features.preferred[] */
	{ "TUNABLE_TYPE_STRING", false },  /* tunable_list[].type.type_code */
	{ "TUNABLE_SECLEVEL_SXID_ERASE", false },  /* tunable_list[].security_level */
};

static void emit_enumerators(FILE *out, Dwarf *dwarf, const char *file)
{
	Dwarf_Die enumeration, e;
	fprintf(out, "\n/* enumerators */\n");
	for (size_t i = 0; i < sizeof enum_groups / sizeof enum_groups[0]; i++) {
		if (!find_enumeration(dwarf, enum_groups[i].anchor, &enumeration)) {
			if (enum_groups[i].required)
				fatal("%s: no enumeration holds %s", file, enum_groups[i].anchor);
			fprintf(out, "/* %s: not in this build */\n", enum_groups[i].anchor);
			continue;
		}
		if (dwarf_child(&enumeration, &e) != 0)
			continue;
		do
			if (dwarf_tag(&e) == DW_TAG_enumerator)
				define_signed(out, "ENUM", dwarf_diename(&e), NULL, enumerator_value(&e));
		while (dwarf_siblingof(&e, &e) == 0);
	}
}

/* ------------------------------------------------------------------------
 * Tunable ids: the enumeration tunable_id_t, checked against the names in
 * ld.so's tunable_list (DWARF gives its address, the ld.so file its bytes).
 */

struct variable_search {
	const char *name;
	uint64_t address;
	Dwarf_Die die;
	bool ok;
};

static bool variable_address(Dwarf_Die *die, uint64_t *address)
{
	Dwarf_Attribute attr;
	Dwarf_Op *ops;
	size_t n;
	if (!dwarf_attr(die, DW_AT_location, &attr) || dwarf_getlocation(&attr, &ops, &n) != 0 || n != 1 ||
	    ops[0].atom != DW_OP_addr)
		return false;
	*address = ops[0].number;
	return true;
}

static bool visit_variable(Dwarf_Die *die, void *ctx)
{
	struct variable_search *s = ctx;
	const char *name = dwarf_diename(die);
	if (dwarf_tag(die) != DW_TAG_variable || !name || strcmp(name, s->name) != 0 ||
	    !variable_address(die, &s->address))
		return false;
	s->die = *die;
	s->ok = true;
	return true;
}

/* A file-scope array of ld.so: its type and shape from the DWARF, its
 * bytes from the ld.so file. */
struct array_variable {
	Dwarf_Die type;
	uint64_t count, stride;
	const unsigned char *bytes;
};

/* `needed_for` ends the line that says the array is missing. */
static void read_array_variable(struct debug_file *ld_debug, struct elf_file *ld, const char *name,
				const char *needed_for, struct array_variable *v)
{
	struct variable_search s = { .name = name };
	for_each_top_level_die(ld_debug->dwarf, visit_variable, &s);
	if (!s.ok || !type_of(&s.die, &v->type))
		fatal("%s: %s not found, so %s", ld_debug->path, name, needed_for);
	struct array_shape shape = array_shape(&v->type);
	if (!shape.is_array || shape.len == 0 || shape.elem_size == 0 || shape.len > UINT64_MAX / shape.elem_size)
		fatal("%s: %s is not an array of known size", ld_debug->path, name);
	v->count = shape.len;
	v->stride = shape.elem_size;
	v->bytes = bytes_at(ld, s.address, v->count * v->stride);
	if (!v->bytes)
		fatal("%s: %s (%#" PRIx64 ", %" PRIu64 " bytes) is not in the file", ld->path, name, s.address,
		      v->count * v->stride);
}

/* x86_64 is little-endian. */
static uint64_t load_unsigned(const unsigned char *p, uint64_t size)
{
	uint64_t value = 0;
	for (uint64_t i = size; i-- > 0;)
		value = value << 8 | p[i];
	return value;
}

/* A member of each tunable_list entry: where, and how many bytes. */
struct tunable_field {
	uint64_t offset, size;
};

struct tunable_table {
	const unsigned char *bytes;
	uint64_t count, stride;
	struct tunable_field name, code, min, max;  /* type.type_code, type.min, type.max */
	struct tunable_field security;              /* security_level */
};

static struct tunable_field tunable_field(struct debug_file *ld_debug, Dwarf_Die *entry, const char *path)
{
	struct place p;
	if (!resolve_path(entry, path, &p))
		fatal("%s: tunable_list's entries have no %s", ld_debug->path, path);
	return (struct tunable_field){p.bit_offset / 8, type_size(&p.type)};
}

static void read_tunable_list(struct debug_file *ld_debug, struct elf_file *ld, struct tunable_table *t)
{
	struct array_variable v;
	read_array_variable(ld_debug, ld, "tunable_list", "the tunable ids cannot be checked", &v);
	t->count = v.count;
	t->stride = v.stride;
	t->bytes = v.bytes;
	t->name = tunable_field(ld_debug, &v.type, "name");
	t->code = tunable_field(ld_debug, &v.type, "type.type_code");
	t->min = tunable_field(ld_debug, &v.type, "type.min");
	t->max = tunable_field(ld_debug, &v.type, "type.max");
	t->security = tunable_field(ld_debug, &v.type, "security_level");
	struct tunable_field all[] = {t->name, t->code, t->min, t->max, t->security};
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (all[i].offset > t->stride || all[i].size > t->stride - all[i].offset)
			fatal("%s: a member of tunable_list's entries lies outside its entry", ld_debug->path);
	if (t->code.size > 8 || t->min.size != 8 || t->max.size != 8 || t->security.size > 8)
		fatal("%s: tunable_list's type codes or bounds are not of the sizes expected", ld_debug->path);
}

/* "glibc.rtld.nns" is tunable_id_t's glibc_rtld_nns. */
static bool same_tunable(const char *dotted, size_t size, const char *enumerator)
{
	size_t i = 0;
	for (; i < size && dotted[i] && enumerator[i]; i++)
		if ((dotted[i] == '.' ? '_' : dotted[i]) != enumerator[i])
			return false;
	return i < size && !dotted[i] && !enumerator[i];
}

/* X(id, name, type code, min, max, security level): each tunable as ld.so's table has it. */
static void emit_tunable_list(FILE *out, const struct tunable_table *t)
{
	fprintf(out, "#define GLIBC_TUNABLE_LIST(X)");
	for (uint64_t i = 0; i < t->count; i++) {
		const unsigned char *e = t->bytes + i * t->stride;
		const char *name = (const char *)e + t->name.offset;
		if (strnlen(name, t->name.size) == t->name.size)
			fatal("tunable_list[%" PRIu64 "]: name not terminated", i);
		fprintf(out, " \\\n\tX(%" PRIu64 ", \"%s\", %" PRIu64 ", %" PRId64 "LL, %" PRId64 "LL, %" PRIu64 ")",
			i, name, load_unsigned(e + t->code.offset, t->code.size),
			(int64_t)load_unsigned(e + t->min.offset, 8), (int64_t)load_unsigned(e + t->max.offset, 8),
			load_unsigned(e + t->security.offset, t->security.size));
	}
	fputc('\n', out);
}

static void emit_tunables(FILE *out, struct debug_file *ld_debug, struct elf_file *ld)
{
	Dwarf_Die enumeration, e;
	struct tunable_table t;
	uint64_t seen = 0;
	if (!find_enumeration(ld_debug->dwarf, "glibc_rtld_nns", &enumeration)) {
		fprintf(out, "\n/* tunables: tunable_id_t is not in this build */\n");
		return;
	}
	read_tunable_list(ld_debug, ld, &t);
	fprintf(out, "\n/* tunable ids (tunable_id_t), checked against ld.so's tunable_list */\n");
	define(out, "TUNABLE", "COUNT", NULL, t.count);
	if (dwarf_child(&enumeration, &e) == 0)
		do {
			if (dwarf_tag(&e) != DW_TAG_enumerator)
				continue;
			int64_t id = enumerator_value(&e);
			const char *name = (const char *)t.bytes + (uint64_t)id * t.stride + t.name.offset;
			if (id < 0 || (uint64_t)id >= t.count || !same_tunable(name, t.name.size, dwarf_diename(&e)))
				fatal("%s: tunable id %" PRId64 " (%s) does not match tunable_list", ld->path, id,
				      dwarf_diename(&e));
			define_signed(out, "TUNABLE", name, NULL, id);
			seen++;
		} while (dwarf_siblingof(&e, &e) == 0);
	if (seen != t.count)
		fatal("%s: tunable_id_t has %" PRIu64 " ids, tunable_list %" PRIu64 " entries", ld->path, seen, t.count);
	emit_tunable_list(out, &t);
}

/* ------------------------------------------------------------------------
 * Intel's CPUID leaf-2 cache descriptors: ld.so's intel_02_known, an array
 * of struct intel_02_cache_info sorted by descriptor byte (glibc searches
 * it in halves).  Each entry is read at the member offsets and sizes the
 * DWARF gives.
 */

enum intel_02_member { INTEL_02_IDX, INTEL_02_ASSOC, INTEL_02_LINESIZE, INTEL_02_REL_NAME, INTEL_02_SIZE,
		       INTEL_02_MEMBERS };

static const char *const intel_02_member_names[INTEL_02_MEMBERS] = { "idx", "assoc", "linesize", "rel_name",
								     "size" };

struct field {
	uint64_t offset, size;
};

static bool is_unsigned_integer(Dwarf_Die *type)
{
	Dwarf_Die base;
	Dwarf_Word encoding;
	peel(type, &base);
	return dwarf_tag(&base) == DW_TAG_base_type && attr_udata(&base, DW_AT_encoding, &encoding) &&
	       (encoding == DW_ATE_unsigned || encoding == DW_ATE_unsigned_char);
}

static bool is_array_of_struct(Dwarf_Die *array_type, const char *name)
{
	Dwarf_Die peeled, element, aggregate;
	peel(array_type, &peeled);
	if (!type_of(&peeled, &element))
		return false;
	peel(&element, &aggregate);
	const char *n = dwarf_diename(&aggregate);
	return dwarf_tag(&aggregate) == DW_TAG_structure_type && n && strcmp(n, name) == 0;
}

/* Each member: an unsigned integer of whole bytes, at most 8, inside the
 * entry. */
static void find_intel_02_fields(const char *file, struct array_variable *v, struct field f[INTEL_02_MEMBERS])
{
	if (!is_array_of_struct(&v->type, "intel_02_cache_info"))
		fatal("%s: intel_02_known is not an array of struct intel_02_cache_info", file);
	for (size_t m = 0; m < INTEL_02_MEMBERS; m++) {
		const char *name = intel_02_member_names[m];
		struct place p;
		if (!resolve_path(&v->type, name, &p))
			fatal("%s: struct intel_02_cache_info has no member %s", file, name);
		f[m].offset = p.bit_offset / 8;
		f[m].size = type_size(&p.type);
		if (dwarf_bitsize(&p.member) > 0 || !is_unsigned_integer(&p.type) || f[m].size > 8 ||
		    f[m].offset > v->stride || f[m].size > v->stride - f[m].offset)
			fatal("%s: intel_02_cache_info.%s is not an unsigned integer of up to 8 bytes inside its entry",
			      file, name);
	}
}

/* rel_name is a sysconf name less _SC_LEVEL1_ICACHE_SIZE; a descriptor
 * describes a whole cache, so it names that cache's size. */
static bool names_a_cache_size(uint64_t rel_name)
{
	static const int sizes[] = { _SC_LEVEL1_ICACHE_SIZE, _SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE,
				     _SC_LEVEL3_CACHE_SIZE };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (rel_name == (uint64_t)(sizes[i] - _SC_LEVEL1_ICACHE_SIZE))
			return true;
	return false;
}

static void check_intel_02_entry(const char *file, uint64_t i, const uint64_t e[INTEL_02_MEMBERS],
				 uint64_t previous_idx)
{
	if (e[INTEL_02_IDX] > 0xff || (i > 0 && e[INTEL_02_IDX] <= previous_idx))
		fatal("%s: intel_02_known[%" PRIu64 "]: descriptor byte %#" PRIx64
		      " is not a byte above the previous entry's",
		      file, i, e[INTEL_02_IDX]);
	if (!names_a_cache_size(e[INTEL_02_REL_NAME]))
		fatal("%s: intel_02_known[%" PRIu64 "]: rel_name %" PRIu64 " names no cache size", file, i,
		      e[INTEL_02_REL_NAME]);
	if (e[INTEL_02_SIZE] == 0)
		fatal("%s: intel_02_known[%" PRIu64 "]: size 0", file, i);
}

static void emit_intel_02_known(FILE *out, struct debug_file *ld_debug, struct elf_file *ld)
{
	struct array_variable v;
	struct field f[INTEL_02_MEMBERS];
	uint64_t e[INTEL_02_MEMBERS], previous_idx = 0;
	read_array_variable(ld_debug, ld, "intel_02_known", "Intel's CPUID leaf-2 cache descriptors are unknown",
			    &v);
	find_intel_02_fields(ld_debug->path, &v, f);
	fprintf(out, "\n/* ld.so's intel_02_known: the CPUID leaf-2 cache descriptors glibc knows,\n"
		     " * X(byte, assoc, linesize, rel_name, size); rel_name is the sysconf name of\n"
		     " * the cache's size less _SC_LEVEL1_ICACHE_SIZE */\n"
		     "#define GLIBC_INTEL_02_KNOWN(X)");
	for (uint64_t i = 0; i < v.count; i++) {
		for (size_t m = 0; m < INTEL_02_MEMBERS; m++)
			e[m] = load_unsigned(v.bytes + i * v.stride + f[m].offset, f[m].size);
		check_intel_02_entry(ld->path, i, e, previous_idx);
		previous_idx = e[INTEL_02_IDX];
		fprintf(out, " \\\n\tX(%#04" PRIx64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %" PRIu64 ")",
			e[INTEL_02_IDX], e[INTEL_02_ASSOC], e[INTEL_02_LINESIZE], e[INTEL_02_REL_NAME],
			e[INTEL_02_SIZE]);
	}
	fputc('\n', out);
}

/* ------------------------------------------------------------------------
 * The _thread_db_* descriptors libc.so.6 exports for libthread_db:
 * {bit size, element count, byte offset} for a field, one word for a size.
 */

struct descriptor {
	char name[MAX_NAME];
	uint32_t words[3];
	size_t nwords;
};

#define MAX_DESCRIPTORS 128
#define THREAD_DB_PREFIX "_thread_db_"

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct descriptor *)a)->name, ((const struct descriptor *)b)->name);
}

static size_t read_descriptors(struct elf_file *libc, struct descriptor *d)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t n = 0;
	while ((scn = elf_nextscn(libc->elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_DYNSYM || shdr.sh_entsize == 0)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		for (size_t i = 0; data && i < shdr.sh_size / shdr.sh_entsize; i++) {
			GElf_Sym sym;
			const char *name;
			if (!gelf_getsym(data, (int)i, &sym) || !(name = elf_strptr(libc->elf, shdr.sh_link, sym.st_name)) ||
			    strncmp(name, THREAD_DB_PREFIX, strlen(THREAD_DB_PREFIX)) != 0 || sym.st_shndx == SHN_UNDEF)
				continue;
			const unsigned char *bytes = bytes_at(libc, sym.st_value, sym.st_size);
			if ((sym.st_size != 4 && sym.st_size != 12) || !bytes || n == MAX_DESCRIPTORS ||
			    strlen(name) >= sizeof d[n].name)
				fatal("%s: %s: unexpected descriptor", libc->path, name);
			memset(&d[n], 0, sizeof d[n]);
			snprintf(d[n].name, sizeof d[n].name, "%s", name + strlen(THREAD_DB_PREFIX));
			d[n].nwords = sym.st_size / 4;
			memcpy(d[n].words, bytes, sym.st_size);
			n++;
		}
	}
	if (n == 0)
		fatal("%s: exports no _thread_db_* descriptors", libc->path);
	qsort(d, n, sizeof d[0], by_name);
	return n;
}

static void emit_descriptors(FILE *out, const struct descriptor *d, size_t n)
{
	fprintf(out, "\n/* libc.so.6's _thread_db_* descriptors, as exported */\n");
	for (size_t i = 0; i < n; i++) {
		if (d[i].nwords == 1) {
			fprintf(out, "#define GLIBC_THREAD_DB_%s_VALUE %" PRIu32 "\n", d[i].name, d[i].words[0]);
			continue;
		}
		fprintf(out, "#define GLIBC_THREAD_DB_%s_BITS %" PRIu32 "\n", d[i].name, d[i].words[0]);
		fprintf(out, "#define GLIBC_THREAD_DB_%s_COUNT %" PRIu32 "\n", d[i].name, d[i].words[1]);
		fprintf(out, "#define GLIBC_THREAD_DB_%s_OFFSET %" PRIu32 "\n", d[i].name, d[i].words[2]);
	}
}

/* Which layout each descriptor describes.  A FIELD's bit size is the whole
 * member; an ARRAY's is one element, with the element count. */
enum descriptor_kind { DB_SIZE, DB_FIELD, DB_ARRAY };

static const struct {
	const char *descriptor, *root, *path;
	enum descriptor_kind kind;
} descriptor_layouts[] = {
	{ "sizeof_pthread", "pthread", NULL, DB_SIZE },
	{ "pthread_list", "pthread", "list", DB_FIELD },
	{ "pthread_tid", "pthread", "tid", DB_FIELD },
	{ "pthread_dtvp", "pthread", "header.dtv", DB_FIELD },
	{ "pthread_specific", "pthread", "specific", DB_FIELD },
	{ "pthread_report_events", "pthread", "report_events", DB_FIELD },
	{ "pthread_cancelhandling", "pthread", "cancelhandling", DB_FIELD },
	{ "pthread_start_routine", "pthread", "start_routine", DB_FIELD },
	{ "pthread_schedpolicy", "pthread", "schedpolicy", DB_FIELD },
	{ "pthread_schedparam_sched_priority", "pthread", "schedparam.sched_priority", DB_FIELD },
	{ "pthread_eventbuf", "pthread", "eventbuf", DB_FIELD },
	{ "pthread_eventbuf_eventmask", "pthread", "eventbuf.eventmask", DB_FIELD },
	{ "pthread_eventbuf_eventmask_event_bits", "pthread", "eventbuf.eventmask.event_bits", DB_ARRAY },
	{ "pthread_nextevent", "pthread", "nextevent", DB_FIELD },
	{ "rtld_global__dl_stack_used", "rtld_global", "_dl_stack_used", DB_FIELD },
	{ "rtld_global__dl_stack_user", "rtld_global", "_dl_stack_user", DB_FIELD },
	{ "rtld_global__dl_tls_dtv_slotinfo_list", "rtld_global", "_dl_tls_dtv_slotinfo_list", DB_FIELD },
	{ "link_map_l_tls_modid", "link_map", "l_tls_modid", DB_FIELD },
	{ "link_map_l_tls_offset", "link_map", "l_tls_offset", DB_FIELD },
	{ "dtv_t_counter", "dtv", "counter", DB_FIELD },
	{ "dtv_t_pointer_val", "dtv", "pointer.val", DB_FIELD },
	{ "sizeof_dtv_slotinfo", "dtv_slotinfo", NULL, DB_SIZE },
	{ "dtv_slotinfo_gen", "dtv_slotinfo", "gen", DB_FIELD },
	{ "dtv_slotinfo_map", "dtv_slotinfo", "map", DB_FIELD },
	{ "sizeof_dtv_slotinfo_list", "dtv_slotinfo_list", NULL, DB_SIZE },
	{ "dtv_slotinfo_list_len", "dtv_slotinfo_list", "len", DB_FIELD },
	{ "dtv_slotinfo_list_next", "dtv_slotinfo_list", "next", DB_FIELD },
	{ "dtv_slotinfo_list_slotinfo", "dtv_slotinfo_list", "slotinfo", DB_ARRAY },
	{ "sizeof_list_t", "list_t", NULL, DB_SIZE },
	{ "list_t_next", "list_t", "next", DB_FIELD },
	{ "list_t_prev", "list_t", "prev", DB_FIELD },
	{ "sizeof_td_eventbuf_t", "td_eventbuf_t", NULL, DB_SIZE },
	{ "td_eventbuf_t_eventnum", "td_eventbuf_t", "eventnum", DB_FIELD },
	{ "td_eventbuf_t_eventdata", "td_eventbuf_t", "eventdata", DB_FIELD },
	{ "sizeof_td_thr_events_t", "td_thr_events_t", NULL, DB_SIZE },
	{ "td_thr_events_t_event_bits", "td_thr_events_t", "event_bits", DB_ARRAY },
	{ "sizeof_pthread_key_data", "pthread_key_data", NULL, DB_SIZE },
	{ "pthread_key_data_seq", "pthread_key_data", "seq", DB_FIELD },
	{ "pthread_key_data_data", "pthread_key_data", "data", DB_FIELD },
};

#define NLAYOUTS (sizeof descriptor_layouts / sizeof descriptor_layouts[0])

/* The descriptor the DWARF layout predicts for entry i. */
static struct descriptor expected_descriptor(size_t i)
{
	struct descriptor d = { .nwords = 1 };
	struct root *r = root_named(descriptor_layouts[i].root);
	struct place p;
	snprintf(d.name, sizeof d.name, "%s", descriptor_layouts[i].descriptor);
	if (descriptor_layouts[i].kind == DB_SIZE) {
		d.words[0] = (uint32_t)type_size(&r->die);
		return d;
	}
	if (!resolve_path(&r->die, descriptor_layouts[i].path, &p))
		fatal("%s has no member %s", r->name, descriptor_layouts[i].path);
	struct array_shape shape = array_shape(&p.type);
	bool array = descriptor_layouts[i].kind == DB_ARRAY;
	d.nwords = 3;
	d.words[0] = (uint32_t)(8 * (array ? shape.elem_size : type_size(&p.type)));
	d.words[1] = array ? (uint32_t)shape.len : 1;
	d.words[2] = (uint32_t)(p.bit_offset / 8);
	return d;
}

static const struct descriptor *descriptor_named(const struct descriptor *d, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].name, name) == 0)
			return &d[i];
	return NULL;
}

static void check_descriptors(const char *libc, const struct descriptor *d, size_t n)
{
	for (size_t i = 0; i < NLAYOUTS; i++) {
		struct descriptor want = expected_descriptor(i);
		const struct descriptor *have = descriptor_named(d, n, want.name);
		if (!have)
			fatal("%s: does not export " THREAD_DB_PREFIX "%s", libc, want.name);
		if (have->nwords != want.nwords || memcmp(have->words, want.words, 4 * want.nwords) != 0)
			fatal("%s: " THREAD_DB_PREFIX "%s is {%" PRIu32 ", %" PRIu32 ", %" PRIu32
			      "}, but the DWARF gives {%" PRIu32 ", %" PRIu32 ", %" PRIu32 "}",
			      libc, want.name, have->words[0], have->words[1], have->words[2], want.words[0],
			      want.words[1], want.words[2]);
	}
}

/* ------------------------------------------------------------------------
 * Identity: build-ids and the version banner.
 */

static bool find_banner(struct elf_file *libc, char *banner, size_t size)
{
	static const char key[] = "GNU C Library";
	size_t len;
	const char *raw = elf_rawfile(libc->elf, &len);
	for (const char *p = raw; p && (p = memchr(p, 'G', len - (size_t)(p - raw))) != NULL; p++) {
		if ((size_t)(p - raw) + sizeof key - 1 > len || memcmp(p, key, sizeof key - 1) != 0)
			continue;
		size_t n = 0;
		while ((size_t)(p - raw) + n < len && n + 1 < size && p[n] >= ' ' && p[n] <= '~' && p[n] != '"' &&
		       p[n] != '\\')
			n++;
		memcpy(banner, p, n);
		banner[n] = '\0';
		return true;
	}
	return false;
}

static void emit_version(FILE *out, struct elf_file *libc)
{
	char banner[256], release[32];
	static const char marker[] = "release version ";
	if (!find_banner(libc, banner, sizeof banner)) {
		fprintf(out, "/* no version banner in %s */\n", libc->path);
		return;
	}
	fprintf(out, "#define GLIBC_VERSION_STRING \"%s\"\n", banner);
	const char *v = strstr(banner, marker);
	if (!v)
		return;
	v += sizeof marker - 1;
	size_t n = strspn(v, "0123456789.");
	while (n > 0 && v[n - 1] == '.')
		n--;
	snprintf(release, sizeof release, "%.*s", (int)(n < sizeof release ? n : sizeof release - 1), v);
	fprintf(out, "#define GLIBC_RELEASE \"%s\"\n", release);
}

static void emit_build_id(FILE *out, const char *which, const char *path, const struct build_id *id,
			  const char *debug_path)
{
	fprintf(out, "#define GLIBC_%s_PATH \"%s\"\n", which, path);
	fprintf(out, "#define GLIBC_%s_DEBUG_FILE \"%s\"\n", which, debug_path);
	fprintf(out, "#define GLIBC_%s_BUILD_ID \"%s\"\n", which, id->hex);
	fprintf(out, "#define GLIBC_%s_BUILD_ID_LEN %zu\n", which, id->len);
	fprintf(out, "#define GLIBC_%s_BUILD_ID_BYTES {", which);
	for (size_t i = 0; i < id->len; i++)
		fprintf(out, "%s0x%02x", i ? ", " : " ", id->bytes[i]);
	fprintf(out, " }\n");
}

/* ------------------------------------------------------------------------
 * The two headers.
 */

struct inputs {
	struct elf_file libc, ld;
	struct build_id libc_id, ld_id;
	struct debug_file libc_debug, ld_debug;
	struct descriptor descriptors[MAX_DESCRIPTORS];
	size_t ndescriptors;
	char libc_roots[1024];
};

static void write_layout(FILE *out, struct inputs *in)
{
	fprintf(out, "/* Generated by rtld/glibc/host/gen-layout.c from libc6-dbg's DWARF; do not edit.\n"
		     " * Layouts are ld.so's; libc.so.6's DWARF agrees for: %s.\n"
		     " * libc.so.6's _thread_db_* descriptors agree too (layout-check.h). */\n"
		     "#ifndef LT_GLIBC_LAYOUT_H\n#define LT_GLIBC_LAYOUT_H\n\n",
		in->libc_roots);
	emit_build_id(out, "LIBC", in->libc.path, &in->libc_id, in->libc_debug.path);
	emit_build_id(out, "LD", in->ld.path, &in->ld_id, in->ld_debug.path);
	emit_version(out, &in->libc);
	for (size_t i = 0; i < NROOTS; i++) {
		emit_root(out, &roots[i]);
		for (size_t j = 0; j < sizeof embeddings / sizeof embeddings[0]; j++)
			if (strcmp(embeddings[j].outer, roots[i].name) == 0)
				emit_embedding(out, &embeddings[j]);
	}
	emit_link_map_flag_bits(out);
	emit_l_info_indexes(out);
	emit_enumerators(out, in->ld_debug.dwarf, in->ld_debug.path);
	emit_tunables(out, &in->ld_debug, &in->ld);
	emit_intel_02_known(out, &in->ld_debug, &in->ld);
	emit_descriptors(out, in->descriptors, in->ndescriptors);
	fprintf(out, "\n#endif\n");
}

static void write_layout_check(FILE *out)
{
	fprintf(out,
		"/* Generated by rtld/glibc/gen-layout; do not edit.\n"
		" * The _thread_db_* descriptors libc.so.6 exports, with the values the\n"
		" * DWARF layout in layout.h predicts for them:\n"
		" *   FIELD(symbol, bits, count, offset)  three 32-bit words\n"
		" *   SIZE(symbol, bytes)                 one 32-bit word */\n"
		"#ifndef LT_GLIBC_LAYOUT_CHECK_H\n#define LT_GLIBC_LAYOUT_CHECK_H\n\n"
		"#define GLIBC_THREAD_DB_EXPECTED(FIELD, SIZE)");
	for (size_t i = 0; i < NLAYOUTS; i++) {
		struct descriptor d = expected_descriptor(i);
		if (d.nwords == 1)
			fprintf(out, " \\\n\tSIZE(\"" THREAD_DB_PREFIX "%s\", %" PRIu32 ")", d.name, d.words[0]);
		else
			fprintf(out, " \\\n\tFIELD(\"" THREAD_DB_PREFIX "%s\", %" PRIu32 ", %" PRIu32 ", %" PRIu32 ")",
				d.name, d.words[0], d.words[1], d.words[2]);
	}
	fprintf(out,
		"\n\n"
		"/* The first descriptor that the loaded libc.so.6 lacks or that differs,\n"
		" * or 0 if all agree.  lookup returns a descriptor's address, or 0. */\n"
		"static inline const char *glibc_thread_db_mismatch(\n"
		"\tconst unsigned int *(*lookup)(const char *symbol, void *ctx), void *ctx)\n"
		"{\n"
		"\tconst unsigned int *d;\n"
		"#define GLIBC_CHECK_FIELD_(sym, bits, count, offset) \\\n"
		"\tif (!(d = lookup(sym, ctx)) || d[0] != (bits) || d[1] != (count) || d[2] != (offset)) \\\n"
		"\t\treturn sym;\n"
		"#define GLIBC_CHECK_SIZE_(sym, bytes) \\\n"
		"\tif (!(d = lookup(sym, ctx)) || d[0] != (bytes)) \\\n"
		"\t\treturn sym;\n"
		"\tGLIBC_THREAD_DB_EXPECTED(GLIBC_CHECK_FIELD_, GLIBC_CHECK_SIZE_)\n"
		"#undef GLIBC_CHECK_FIELD_\n"
		"#undef GLIBC_CHECK_SIZE_\n"
		"\treturn 0;\n"
		"}\n\n#endif\n");
}

/* ------------------------------------------------------------------------
 * Command line and the order of the work.
 */

struct options {
	const char *libc, *ld, *debug_dir, *libc_debug, *ld_debug, *out, *check_out;
};

static struct options parse_options(int argc, char **argv)
{
	struct options o = { .libc = "/lib/x86_64-linux-gnu/libc.so.6",
			     .ld = "/lib64/ld-linux-x86-64.so.2",
			     .debug_dir = "/usr/lib/debug" };
	static const char usage[] = "usage: gen-layout [--libc FILE] [--ld FILE] [--debug-dir DIR] "
				    "[--libc-debug FILE] [--ld-debug FILE] --out FILE --check-out FILE";
	for (int i = 1; i < argc; i += 2) {
		const char **slot = !strcmp(argv[i], "--libc")	     ? &o.libc
				    : !strcmp(argv[i], "--ld")	       ? &o.ld
				    : !strcmp(argv[i], "--debug-dir")  ? &o.debug_dir
				    : !strcmp(argv[i], "--libc-debug") ? &o.libc_debug
				    : !strcmp(argv[i], "--ld-debug")   ? &o.ld_debug
				    : !strcmp(argv[i], "--out")	       ? &o.out
				    : !strcmp(argv[i], "--check-out")  ? &o.check_out
								       : NULL;
		if (!slot || i + 1 >= argc)
			fatal("%s", usage);
		*slot = argv[i + 1];
	}
	if (!o.out || !o.check_out)
		fatal("%s", usage);
	return o;
}

static void load_inputs(struct inputs *in, const struct options *o)
{
	open_elf(&in->libc, o->libc);
	read_build_id(&in->libc, &in->libc_id);
	open_elf(&in->ld, o->ld);
	read_build_id(&in->ld, &in->ld_id);
	open_debug_file(&in->ld_debug, o->ld, &in->ld_id, o->debug_dir, o->ld_debug);
	open_debug_file(&in->libc_debug, o->libc, &in->libc_id, o->debug_dir, o->libc_debug);
}

static void check_layouts(struct inputs *in)
{
	find_roots(&in->ld_debug);
	for (size_t i = 0; i < NROOTS; i++)
		if (roots[i].found)
			check_required_fields(&roots[i], in->ld_debug.path);
	check_lock_is_mutex(in->ld_debug.path);
	if (cross_check_libc_dwarf(&in->libc_debug, in->libc_roots, sizeof in->libc_roots) == 0)
		fatal("%s: none of the loader's types are described", in->libc_debug.path);
	in->ndescriptors = read_descriptors(&in->libc, in->descriptors);
	check_descriptors(in->libc.path, in->descriptors, in->ndescriptors);
}

int main(int argc, char **argv)
{
	static struct inputs in;
	struct output layout, check;
	struct options o = parse_options(argc, argv);
	elf_version(EV_CURRENT);
	load_inputs(&in, &o);
	check_layouts(&in);
	open_output(&layout, o.out, 0);
	open_output(&check, o.check_out, 1);
	write_layout(layout.f, &in);
	write_layout_check(check.f);
	commit_output(&layout);
	commit_output(&check);
	return 0;
}
