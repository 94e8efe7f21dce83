/*
 * Loaded objects: creating and freeing the record, mapping a file's
 * segments, and adopting objects the kernel mapped for us (the program,
 * ld-teach.so itself, the vDSO).
 */
#include <linux/stat.h>
#include "rtld.h"
#include "alloc.h"
#include "audit.h"
#include "elf_check.h"
#include "load.h"
#include "print.h"
#include "str.h"
#include "sys.h"
#include "trace.h"

struct lt_object *lt_object_new(enum lt_kind kind, const char *path)
{
	struct lt_object *obj = lt_alloc(sizeof *obj);
	if (!obj) {
		lt_error("%s: cannot allocate the object record", path);
		return 0;
	}
	obj->kind = kind;
	obj->path = path;
	obj->name = (char *)(kind == LT_MAIN ? "" : path);
	return obj;
}

void lt_object_free(struct lt_object *obj)
{
	if (obj->map_len)
		sys_munmap((void *)obj->map_start, obj->map_len);
	if (obj->phdr_owned)
		lt_free((void *)obj->phdr);
	if (obj->local_owner == obj) {
		lt_free(obj->local->objs);
		lt_free(obj->local);
	}
	for (size_t i = 0; i < obj->ntlsdesc_args; i++)
		lt_free(obj->tlsdesc_args[i]);
	lt_free(obj->tlsdesc_args);
	lt_free(obj->reldeps.objs);
	lt_free(obj->later_roots.objs);
	lt_free(obj->segs);
	lt_free(obj->needed);
	lt_free(obj->needed_names);
	lt_free(obj->st.versions);
	lt_free(obj->plt_bound);
	lt_audit_forget(obj);
	lt_free((void *)obj->request);
	lt_free(obj->origin);
	lt_free((void *)obj->path);
	lt_free(obj);
}

void lt_object_append(struct lt_object *obj)
{
	obj->prev = lt.tail;
	if (lt.tail)
		lt.tail->next = obj;
	else
		lt.head = obj;
	lt.tail = obj;
	obj->serial = lt.nobjects++;
}

void lt_object_unlink(struct lt_object *o)
{
	if (o->prev)
		o->prev->next = o->next;
	else
		lt.head = o->next;
	if (o->next)
		o->next->prev = o->prev;
	else
		lt.tail = o->prev;
	lt.objects_removed++;
}

int lt_object_is_loader(const struct lt_object *obj)
{
	return obj->soname && lt.self->soname && !strcmp(obj->soname, lt.self->soname);
}

const char *lt_object_interp(const struct lt_object *obj)
{
	for (unsigned i = 0; i < obj->phnum; i++)
		if (obj->phdr[i].p_type == PT_INTERP)
			return (const char *)(obj->base + obj->phdr[i].p_vaddr);
	return 0;
}

/* The length of the directory part of `path` ("/" for "/prog"); 0 when it has none. */
static size_t dirname_length(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return 0;
	return slash == path ? 1 : (size_t)(slash - path);
}

/*
 * The program's directory when the kernel started it, links resolved, as
 * /proc/self/exe names it; its first *len characters.  Taken from the
 * program's own path when that is already in that form, else read once
 * from the link; 0 when it cannot be read.  (dlinfo may ask from two
 * threads at once: both write the same bytes and pointer, and the length
 * is published after them.)
 */
static const char *linkless_path;  /* (lt_object_program_path_linkless) */
static const char *origin_dir;
static size_t origin_known;  /* (tested, not the buffer: a first read of it would fault twice) */

void lt_object_program_path_linkless(const char *path)
{
	linkless_path = path;
}

/* Is `path` absolute, with no empty, "." or ".." component? */
static int plain_absolute(const char *path)
{
	if (*path != '/')
		return 0;
	for (const char *c = path + 1;; c++) {
		const char *end = strchr(c, '/');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (!n || (c[0] == '.' && (n == 1 || (n == 2 && c[1] == '.'))))
			return 0;
		if (!end)
			return 1;
		c = end;
	}
}

static const char *program_origin(size_t *len)
{
	static char dir[LT_PATH_MAX] LT_LARGE_BSS;
	size_t n = __atomic_load_n(&origin_known, __ATOMIC_ACQUIRE);
	if (!n) {
		const char *found = linkless_path;
		if (!found || !plain_absolute(found)) {
			long r = sys_readlink("/proc/self/exe", dir, sizeof dir - 1);
			if (r <= 0)
				return 0;
			dir[r] = 0;
			found = dir;
		}
		if (!(n = dirname_length(found)))
			return 0;
		origin_dir = found;
		__atomic_store_n(&origin_known, n, __ATOMIC_RELEASE);
	}
	*len = n;
	return origin_dir;
}

void lt_object_fix_origin(struct lt_object *obj)
{
	if (obj->origin || obj->path[0] == '/' || obj->kind == LT_VDSO || obj->kind == LT_RTLD ||
	    (obj->kind == LT_MAIN && !lt.command_mode))
		return;
	char *cwd = lt_alloc(LT_PATH_MAX);
	long n = cwd ? sys_getcwd(cwd, LT_PATH_MAX) : -1;
	/* (Linux says "(unreachable)..." for a directory outside the root: glibc refuses it too.) */
	if (n > 1 && cwd[0] == '/') {
		size_t len = (size_t)n - 1, rel = dirname_length(obj->path);
		if (cwd[len - 1] != '/')
			cwd[len++] = '/';
		if (!rel && len > 1)  /* "prog": the working directory itself, without its slash */
			len--;
		if (len + rel < LT_PATH_MAX) {
			memcpy(cwd + len, obj->path, rel);
			obj->origin = lt_strndup(cwd, len + rel);
		}
	}
	lt_free(cwd);
}

size_t lt_object_origin_span(const struct lt_object *obj, const char **dir)
{
	size_t len;
	if (obj->origin)
		return strlen(*dir = obj->origin);
	if (obj->kind == LT_MAIN && !lt.command_mode && (*dir = program_origin(&len)))
		return len;
	*dir = obj->path;
	if (!(len = dirname_length(obj->path)))
		*dir = ".", len = 1;
	return len;
}

void lt_object_origin(const struct lt_object *obj, char *out, size_t size)
{
	const char *dir;
	size_t len = lt_object_origin_span(obj, &dir);
	if (!size)
		return;
	if (len >= size)
		dir = ".", len = size > 1;
	memmove(out, dir, len);  /* (a copy, not lt_format: every $ORIGIN of a search comes here) */
	out[len] = 0;
}

static int prot_of(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((p_flags & PF_X) ? PROT_EXEC : 0);
}

/*
 * Fill the segment list and the special segments from program headers that
 * are already in memory at `base`.
 */
/* A PT_LOAD that maps something: an empty one is passed over (elf_check.c). */
static int maps_memory(const Elf64_Phdr *p)
{
	return p->p_type == PT_LOAD && p->p_memsz;
}

static int adopt_phdrs(struct lt_object *obj, const Elf64_Phdr *ph, unsigned phnum)
{
	unsigned nloads = 0;
	for (unsigned i = 0; i < phnum; i++)
		nloads += maps_memory(&ph[i]);
	obj->segs = lt_alloc(nloads * sizeof *obj->segs);
	if (!obj->segs && nloads) {
		lt_error("%s: cannot allocate the segment list", obj->path);
		return -1;
	}
	obj->phdr = ph;
	obj->phnum = phnum;
	obj->execstack = 1;  /* without PT_GNU_STACK: the x86_64 ABI's default, as glibc reads it */
	for (unsigned i = 0; i < phnum; i++) {
		const Elf64_Phdr *p = &ph[i];
		uintptr_t at = obj->base + p->p_vaddr;
		switch (p->p_type) {
		case PT_LOAD:
			if (p->p_memsz)
				obj->segs[obj->nsegs++] = (struct lt_segment){
					at, at + p->p_memsz, prot_of(p->p_flags)};
			break;
		case PT_DYNAMIC:
			obj->dynamic = (Elf64_Dyn *)at;
			break;
		case PT_TLS:
			obj->tls.image = at;
			obj->tls.filesz = p->p_filesz;
			obj->tls.memsz = p->p_memsz;
			obj->tls.align = p->p_align ? p->p_align : 1;
			break;
		case PT_GNU_RELRO:
			obj->relro_start = page_down(at);
			obj->relro_end = page_down(at + p->p_memsz);
			break;
		case PT_GNU_STACK:
			obj->stack_size = p->p_memsz;
			obj->execstack = (p->p_flags & PF_X) != 0;
			break;
		}
	}
	return 0;
}

int lt_object_from_memory(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t base)
{
	obj->base = base;
	return adopt_phdrs(obj, phdr, phnum);
}

struct lt_object *lt_object_containing(uintptr_t addr)
{
	for (struct lt_object *o = lt.head; o; o = o->next)
		if (lt_object_segment(o, addr, 1))
			return o;
	return 0;
}

int lt_object_relro(struct lt_object *obj)
{
	if (obj->relro_end <= obj->relro_start)
		return 0;
	long r = sys_mprotect((void *)obj->relro_start, obj->relro_end - obj->relro_start,
			      PROT_READ);
	if (r < 0) {
		lt_error("%s: cannot apply additional memory protection after relocation: %s",
			 obj->path, lt_strerror(-r));
		return -1;
	}
	trace_relro(obj);
	return 0;
}

/* ----- mapping a file ----- */

/*
 * Read and validate the ELF header and program headers.  `hdr` holds the
 * first KiB of the file; program headers beyond it are read into *copy,
 * which the caller frees.
 */
static const char *read_headers(int fd, uint64_t filesize, char *hdr, Elf64_Phdr **copy,
				struct lt_elf_info *info)
{
	long n = sys_pread(fd, hdr, 1024, 0);
	if (n < 0)
		return lt_strerror(-n);
	const char *why = lt_elf_check_header(hdr, n, filesize);
	if (why)
		return why;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)hdr;
	size_t phsize = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(hdr + eh->e_phoff);
	if (eh->e_phoff + phsize > (uint64_t)n) {
		*copy = lt_alloc(phsize);
		if (!*copy)
			return "cannot allocate memory for the program headers";
		if (sys_pread(fd, *copy, phsize, eh->e_phoff) != (long)phsize)
			return "cannot read the program headers";
		ph = *copy;
	}
	return lt_elf_check_phdrs(eh, ph, filesize, info);
}

/* The first PT_LOAD that maps something (a valid file has one). */
static const Elf64_Phdr *first_load(const struct lt_elf_info *info)
{
	const Elf64_Phdr *p = info->phdr;
	while (!maps_memory(p))
		p++;
	return p;
}

/* Do the PT_LOADs cover their span with no page between them? */
static int contiguous(const struct lt_elf_info *info)
{
	uintptr_t end = info->lo;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Elf64_Phdr *p = &info->phdr[i];
		if (!maps_memory(p))
			continue;
		if (page_down(p->p_vaddr) != end)
			return 0;
		end = page_up(p->p_vaddr + p->p_memsz);
	}
	return 1;
}

/*
 * Reserve address space for the whole object, so that its segments keep
 * their relative distances and the gaps stay inaccessible (PROT_NONE).
 * As glibc and musl do, the reservation maps the first PT_LOAD's file
 * pages over the whole span (*first_mapped is then 1, and that segment
 * needs no mapping of its own); the other segments are mapped over the
 * rest, and anything between them made PROT_NONE first.  A span aligned
 * beyond a page (huge-page friendly libraries keep their alignment) is
 * reserved anonymous, PROT_NONE.  Sets the load bias.
 */
static long reserve_span(const struct lt_elf_info *info, int fd, uintptr_t *base, uintptr_t *start,
			 size_t *len, int *first_mapped)
{
	size_t span = info->hi - info->lo;
	int fixed = info->ehdr->e_type == ET_EXEC;  /* (its addresses are its own: no alignment) */
	size_t align = !fixed && info->max_align > LT_PAGE_SIZE ? info->max_align : LT_PAGE_SIZE;
	size_t extra = fixed ? 0 : align - LT_PAGE_SIZE;
	const Elf64_Phdr *first = first_load(info);
	int from_file = *first_mapped = !extra && first->p_filesz;
	char *p = sys_mmap(fixed ? (void *)info->lo : 0, span + extra,
			   from_file ? prot_of(first->p_flags) : PROT_NONE,
			   MAP_PRIVATE | (from_file ? 0 : MAP_ANONYMOUS) |
				   (fixed ? MAP_FIXED_NOREPLACE : 0),
			   from_file ? fd : -1, from_file ? page_down(first->p_offset) : 0);
	if (sys_mmap_failed(p))
		return (long)p;
	if (fixed && (uintptr_t)p != info->lo) {
		sys_munmap(p, span);
		return -EEXIST;
	}
	uintptr_t aligned = ((uintptr_t)p + align - 1) & ~(align - 1);
	if (aligned > (uintptr_t)p)
		sys_munmap(p, aligned - (uintptr_t)p);
	if ((uintptr_t)p + span + extra > aligned + span)
		sys_munmap((void *)(aligned + span), (uintptr_t)p + span + extra - aligned - span);
	*base = aligned - info->lo, *start = aligned, *len = span;
	if (from_file && !contiguous(info)) {
		uintptr_t after = page_up(*base + first->p_vaddr + first->p_filesz);
		return sys_mprotect((void *)after, aligned + span - after, PROT_NONE);
	}
	return 0;
}

/* Zero from `from` to the end of its page, inside a segment with protection `prot`. */
static long zero_page_tail(uintptr_t from, int prot)
{
	uintptr_t page = page_down(from);
	size_t n = page_up(from) - from;
	if (!n)
		return 0;
	if (!(prot & PROT_WRITE)) {
		/* Briefly writable, never writable and executable. */
		long r = sys_mprotect((void *)page, LT_PAGE_SIZE, PROT_READ | PROT_WRITE);
		if (r < 0)
			return r;
	}
	memset((void *)from, 0, n);
	if (!(prot & PROT_WRITE))
		return sys_mprotect((void *)page, LT_PAGE_SIZE, prot);
	return 0;
}

/* Map one PT_LOAD; `file_mapped`: its file pages are mapped already (reserve_span). */
static long map_segment(const Elf64_Phdr *p, uintptr_t base, int fd, int file_mapped)
{
	int prot = prot_of(p->p_flags);
	uintptr_t start = page_down(base + p->p_vaddr);
	uintptr_t file_end = base + p->p_vaddr + p->p_filesz;
	uintptr_t mem_end = base + p->p_vaddr + p->p_memsz;
	uintptr_t anon_start = start;

	if (p->p_filesz) {
		void *m = file_mapped ? 0 : sys_mmap((void *)start, page_up(file_end) - start, prot,
						     MAP_PRIVATE | MAP_FIXED, fd, page_down(p->p_offset));
		if (sys_mmap_failed(m))
			return (long)m;
		anon_start = page_up(file_end);
		if (mem_end > file_end) {
			/* .bss begins inside the last file page: clear what the file put there. */
			long r = zero_page_tail(file_end, prot);
			if (r < 0)
				return r;
		}
	}
	if (page_up(mem_end) > anon_start) {
		void *m = sys_mmap((void *)anon_start, page_up(mem_end) - anon_start, prot,
				   MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
		if (sys_mmap_failed(m))
			return (long)m;
	}
	return 0;
}

/* Where the program headers sit once the file is mapped, if they are mapped at all. */
static const Elf64_Phdr *mapped_phdrs(const struct lt_elf_info *info, uintptr_t base)
{
	const Elf64_Phdr *ph = info->phdr;
	uint64_t off = info->ehdr->e_phoff;
	size_t size = (size_t)info->phnum * sizeof(Elf64_Phdr);
	for (unsigned i = 0; i < info->phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			return (const Elf64_Phdr *)(base + ph[i].p_vaddr);
	for (unsigned i = 0; i < info->phnum; i++)
		if (ph[i].p_type == PT_LOAD && off >= ph[i].p_offset &&
		    off + size <= ph[i].p_offset + ph[i].p_filesz)
			return (const Elf64_Phdr *)(base + ph[i].p_vaddr + (off - ph[i].p_offset));
	return 0;
}

/* Keep a private copy of program headers that no segment maps. */
static const Elf64_Phdr *keep_phdrs(struct lt_object *obj, const struct lt_elf_info *info)
{
	size_t size = (size_t)info->phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *copy = lt_alloc(size);
	if (copy)
		memcpy(copy, info->phdr, size);
	obj->phdr_owned = 1;
	return copy;
}

static int fail_map(struct lt_object *obj, const char *requester, const char *display,
		    const char *why)
{
	if (why && requester)
		lt_error("%s: %s: %s", requester, display, why);
	else if (why)
		lt_error("%s: %s", display, why);
	if (obj->map_len)
		sys_munmap((void *)obj->map_start, obj->map_len);
	obj->map_len = 0;
	return -1;
}

/* Map every PT_LOAD of a validated file; `info` describes it. */
static const char *map_validated(struct lt_object *obj, int fd, const struct lt_elf_info *info,
				 const Elf64_Phdr **phdr)
{
	if (info->ehdr->e_type == ET_EXEC && obj->kind != LT_MAIN)
		return "cannot dynamically load executable";
	if (!info->dynamic && obj->kind != LT_MAIN)
		return "not a dynamic object (no PT_DYNAMIC)";

	static char why[128];  /* (loading holds the loader lock) */
	uintptr_t base;
	int first_mapped;
	long r = reserve_span(info, fd, &base, &obj->map_start, &obj->map_len, &first_mapped);
	if (r == -EEXIST)
		return "cannot map at its fixed address: the range is in use";
	if (r < 0) {
		lt_format(why, sizeof why, "cannot reserve address space for the segments: %s",
			  lt_strerror(-r));
		return why;
	}
	const Elf64_Phdr *mapped = first_mapped ? first_load(info) : 0;
	for (unsigned i = 0; i < info->phnum; i++) {
		const Elf64_Phdr *p = &info->phdr[i];
		if (maps_memory(p) && (r = map_segment(p, base, fd, p == mapped)) < 0) {
			lt_format(why, sizeof why, "cannot map the segment at %#lx (%#lx bytes): %s",
				  (unsigned long)p->p_vaddr, (unsigned long)p->p_memsz,
				  lt_strerror(-r));
			return why;
		}
	}
	*phdr = mapped_phdrs(info, base);
	if (!*phdr && !(*phdr = keep_phdrs(obj, info)))
		return "cannot keep the program headers";
	obj->entry = base + info->ehdr->e_entry;
	obj->base = base;
	return 0;
}

/*
 * Does what the kernel mapped match the validated file?  The auxiliary
 * vector says where the program headers are (`phdr`) and the entry point
 * (`entry`), which is e_entry moved by the load bias: the headers must be
 * the file's, at the place in the mapped segments the file gives them.
 */
static const char *kernel_mapped_as_described(const struct lt_elf_info *info,
					      const Elf64_Phdr *phdr, unsigned phnum,
					      uintptr_t entry, uintptr_t *base)
{
	uintptr_t bias = entry - info->ehdr->e_entry;
	const Elf64_Phdr *mapped = mapped_phdrs(info, bias);
	if (!mapped || phdr != mapped || phnum != info->phnum ||
	    memcmp(phdr, info->phdr, phnum * sizeof *phdr))
		return "the program headers the kernel gave (AT_PHDR, AT_PHNUM, AT_ENTRY) are not "
		       "the file's";
	*base = bias;
	return 0;
}

int lt_object_check_kernel_file(struct lt_object *obj, int fd, const Elf64_Phdr *phdr,
				unsigned phnum, uintptr_t entry)
{
	struct stat st;
	long r = sys_fstat(fd, &st);
	if (r < 0)
		return fail_map(obj, 0, obj->path, lt_strerror(-r));
	if (!S_ISREG(st.st_mode))
		return fail_map(obj, 0, obj->path, "not a regular file");
	char hdr[1024] __attribute__((aligned(8)));
	Elf64_Phdr *copy = 0;
	struct lt_elf_info info;
	memset(hdr, 0, SELFMAG);  /* (a file too short for ELF's magic is no ELF file) */
	const char *why = read_headers(fd, st.st_size, hdr, &copy, &info);
	if (!why)
		why = kernel_mapped_as_described(&info, phdr, phnum, entry, &obj->base);
	lt_free(copy);
	if (why) {
		int not_elf = memcmp(hdr, ELFMAG, SELFMAG) != 0;
		fail_map(obj, 0, obj->path, why);
		return not_elf ? 1 : -1;
	}
	lt_object_note_file(obj, &st);  /* (its identity: the prelink cache is named after it) */
	return 0;
}

int lt_object_trust_kernel(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			   uintptr_t entry)
{
	/* The header a file would have: its count of program headers checked
	 * first, then where PT_PHDR says they lie. */
	Elf64_Ehdr eh = {.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
				     EV_CURRENT},
			 .e_type = ET_DYN, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			 .e_ehsize = sizeof eh, .e_phentsize = sizeof *phdr, .e_phnum = phnum};
	const char *why = lt_elf_check_header(&eh, sizeof eh, UINT64_MAX);
	const Elf64_Phdr *self = 0;
	for (unsigned i = 0; !why && i < phnum; i++)
		if (phdr[i].p_type == PT_PHDR)
			self = &phdr[i];
	if (!why && !self)
		why = "its file cannot be read, and no PT_PHDR says where the kernel mapped it";
	struct lt_elf_info info;
	uintptr_t base = self ? (uintptr_t)phdr - self->p_vaddr : 0;
	if (!why) {
		eh.e_type = base ? ET_DYN : ET_EXEC;
		eh.e_entry = entry - base;
		eh.e_phoff = self->p_offset;
		why = lt_elf_check_header(&eh, sizeof eh, UINT64_MAX);
	}
	if (!why)
		why = lt_elf_check_phdrs(&eh, phdr, UINT64_MAX, &info);
	if (why)
		return fail_map(obj, 0, obj->path, why);
	obj->base = base;
	return 0;
}

int lt_object_from_kernel(struct lt_object *obj, const Elf64_Phdr *phdr, unsigned phnum,
			  uintptr_t entry)
{
	obj->entry = entry;
	return adopt_phdrs(obj, phdr, phnum);
}

void lt_object_note_file(struct lt_object *obj, const struct stat *st)
{
	obj->dev = st->st_dev;
	obj->ino = st->st_ino;
	obj->size = st->st_size;
	obj->mtime = st->st_mtime;
	obj->mtime_nsec = st->st_mtime_nsec;
}

int lt_object_map_file(struct lt_object *obj, int fd, const struct stat *st, const char *display,
		       const char *requester)
{
	if (!S_ISREG(st->st_mode))
		return fail_map(obj, requester, display, S_ISDIR(st->st_mode)
				? "cannot read file data: Is a directory" : "not a regular file");
	lt_object_note_file(obj, st);

	char hdr[1024] __attribute__((aligned(8)));
	Elf64_Phdr *copy = 0;
	struct lt_elf_info info;
	const Elf64_Phdr *ph = 0;
	const char *why = read_headers(fd, st->st_size, hdr, &copy, &info);
	if (!why)
		why = map_validated(obj, fd, &info, &ph);
	lt_free(copy);
	if (why)
		return fail_map(obj, requester, display, why);
	if (adopt_phdrs(obj, ph, info.phnum) < 0)
		return fail_map(obj, requester, display, 0);
	trace_mapped(obj);
	return 0;
}
