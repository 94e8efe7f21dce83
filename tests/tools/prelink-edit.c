/*
 * prelink-edit: read and alter ld-teach's prelink cache files, for the
 * tests and the docs (doc/prelink.md).  It reads a file with ld-teach's own
 * parser (rtld/prelink_file.c).
 *
 *   prelink-edit dump FILE [--answers]
 *       the header, the objects, the scope and the constructor order; with
 *       --answers every answer too, with the names of the symbols it
 *       relates (read from the objects' files)
 *   prelink-edit set-answer FILE N OBJ SYM
 *       answer N becomes symbol SYM of object OBJ (OBJ may be `lookup' or
 *       `undef'), and the checksum is made right again: a cache that lies
 *       without being corrupt
 *   prelink-edit lie FILE REF DEF
 *       the first answer that names a symbol called REF names the symbol
 *       called DEF of the same object instead (checksum made right)
 *   prelink-edit checksum FILE
 *       write the checksum the file's contents call for (after a test has
 *       changed some field)
 *   prelink-edit check FILE
 *       what ld-teach's parser says of it: "ok", or why not (exit 1)
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "prelink.h"

static const char *const kinds[] = {"program", "library", "ld-teach.so", "vDSO"};

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	*size = ftell(f);
	rewind(f);
	void *buf = aligned_alloc(8, (*size + 8) & ~7UL);
	if (!buf || fread(buf, 1, *size, f) != *size) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	return buf;
}

static void write_file(const char *path, const void *buf, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, size, f) != size || fclose(f)) {
		perror(path);
		exit(2);
	}
}

static void parse_or_die(const void *buf, size_t size, struct lt_prelink_file *f)
{
	const char *why;
	if (lt_prelink_parse(buf, size, f, &why) < 0) {
		fprintf(stderr, "not a valid cache: %s\n", why);
		exit(1);
	}
}

/* The dynamic symbol table of an ELF file: names by index (NULL when unreadable). */
struct names {
	char **name;
	size_t n;
};

static struct names read_names(const char *path)
{
	struct names t = {0};
	int fd = open(path, O_RDONLY);
	Elf *e = fd < 0 ? 0 : elf_begin(fd, ELF_C_READ, 0);
	for (Elf_Scn *s = 0; e && (s = elf_nextscn(e, s));) {
		GElf_Shdr sh;
		if (!gelf_getshdr(s, &sh) || sh.sh_type != SHT_DYNSYM || !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(s, 0);
		t.n = sh.sh_size / sh.sh_entsize;
		t.name = calloc(t.n, sizeof *t.name);
		for (size_t i = 0; d && i < t.n; i++) {
			GElf_Sym sym;
			const char *n = gelf_getsym(d, i, &sym) ? elf_strptr(e, sh.sh_link, sym.st_name) : 0;
			t.name[i] = n ? strdup(n) : 0;
		}
	}
	if (e)
		elf_end(e);
	if (fd >= 0)
		close(fd);
	return t;
}

static const char *name_of(const struct names *t, uint32_t i)
{
	return i < t->n && t->name[i] ? t->name[i] : "?";
}

/* Every object's symbol names, by object number. */
static struct names *all_names(const struct lt_prelink_file *f)
{
	struct names *names = calloc(f->h->nobjects, sizeof *names);
	elf_version(EV_CURRENT);
	for (uint32_t i = 0; i < f->h->nobjects; i++)
		names[i] = read_names(lt_prelink_string(f, f->objects[i].path));
	return names;
}

static void dump_answers(const struct lt_prelink_file *f)
{
	uint32_t n = f->h->nobjects, k = 0;
	struct names *names = all_names(f);
	for (uint32_t i = 0; i < n; i++) {
		const struct lt_prelink_object *o = &f->objects[i];
		uint32_t nrela = o->nrela - o->relacount;
		for (uint32_t j = 0; j < nrela + o->njmprel; j++, k++) {
			const struct lt_prelink_answer *a = &f->answers[k];
			printf("  answer %u: %s %s[%u]: ", k, lt_prelink_string(f, o->path),
			       j < nrela ? "rela" : "jmprel", j < nrela ? o->relacount + j : j - nrela);
			if (a->obj == LT_PRELINK_LOOKUP)
				printf("looked up as usual\n");
			else if (a->obj == LT_PRELINK_UNDEF)
				printf("undefined weak: 0\n");
			else if ((a->obj & ~LT_PRELINK_SPECIAL) >= n)
				printf("object %u, which the cache has not: looked up when used\n", a->obj);
			else
				printf("`%s' = symbol %u of %s%s\n",
				       name_of(&names[a->obj & ~LT_PRELINK_SPECIAL], a->sym), a->sym,
				       lt_prelink_string(f, f->objects[a->obj & ~LT_PRELINK_SPECIAL].path),
				       a->obj & LT_PRELINK_SPECIAL ? " (the general path)" : "");
		}
	}
}

static void print_list(const char *what, const uint32_t *list, uint32_t n)
{
	printf("%s:", what);
	for (uint32_t i = 0; i < n; i++)
		printf(" %u", list[i]);
	printf("\n");
}

static void dump(const struct lt_prelink_file *f, int answers)
{
	const struct lt_prelink_header *h = f->h;
	printf("format %u, %lu bytes, made by ld-teach.so build-id ", h->version,
	       (unsigned long)h->size);
	for (uint32_t i = 0; i < h->rtld_id_len; i++)
		printf("%02x", h->rtld_id[i]);
	printf("\nenvironment: library path %s%s%s, preload %s%s%s, %s%s\n",
	       h->flags & LT_PRELINK_F_LIBRARY_PATH ? "\"" : "",
	       h->flags & LT_PRELINK_F_LIBRARY_PATH ? lt_prelink_string(f, h->library_path) : "unset",
	       h->flags & LT_PRELINK_F_LIBRARY_PATH ? "\"" : "",
	       h->flags & LT_PRELINK_F_PRELOAD ? "\"" : "",
	       h->flags & LT_PRELINK_F_PRELOAD ? lt_prelink_string(f, h->preload) : "unset",
	       h->flags & LT_PRELINK_F_PRELOAD ? "\"" : "",
	       h->flags & LT_PRELINK_F_BIND_NOW ? "LD_BIND_NOW" : "lazy binding",
	       h->flags & LT_PRELINK_F_INHIBIT_CACHE ? ", --inhibit-cache" : "");
	printf("objects (%u):\n", h->nobjects);
	for (uint32_t i = 0; i < h->nobjects; i++) {
		const struct lt_prelink_object *o = &f->objects[i];
		printf("  %u %s %s: device %lx inode %lu, %lu bytes, mtime %ld.%09u, build-id %s; "
		       "%u symbols, %u+%u relocations answered; TLS module %u at TP-%#lx\n",
		       i, kinds[o->kind], lt_prelink_string(f, o->path), (unsigned long)o->dev,
		       (unsigned long)o->ino, (unsigned long)o->size, (long)o->mtime, o->mtime_nsec,
		       o->build_id_len ? "yes" : "none", o->nsyms, o->nrela - o->relacount, o->njmprel,
		       o->tls_modid, (unsigned long)o->tls_offset);
	}
	print_list("global scope", f->scope, h->nscope);
	print_list("constructor order", f->init, h->ninit);
	printf("answers: %u\n", h->nanswers);
	if (answers)
		dump_answers(f);
}

static uint32_t number(const char *s)
{
	if (!strcmp(s, "lookup"))
		return LT_PRELINK_LOOKUP;
	if (!strcmp(s, "undef"))
		return LT_PRELINK_UNDEF;
	return strtoul(s, 0, 0);
}

static void set_checksum(void *buf, size_t size)
{
	struct lt_prelink_header *h = buf;
	h->checksum = lt_prelink_checksum(buf, size);
}

/* The first answer naming `ref' names `def' of the same object instead. */
static int lie(const struct lt_prelink_file *f, const char *ref, const char *def)
{
	struct names *names = all_names(f);
	for (uint32_t k = 0; k < f->h->nanswers; k++) {
		struct lt_prelink_answer *a = (struct lt_prelink_answer *)&f->answers[k];
		if ((a->obj & ~LT_PRELINK_SPECIAL) >= f->h->nobjects || strcmp(name_of(&names[a->obj & ~LT_PRELINK_SPECIAL], a->sym), ref))
			continue;
		const struct names *t = &names[a->obj & ~LT_PRELINK_SPECIAL];
		for (uint32_t i = 1; i < t->n; i++)
			if (t->name[i] && !strcmp(t->name[i], def)) {
				a->sym = i;
				return 0;
			}
		fprintf(stderr, "no `%s' beside `%s'\n", def, ref);
		return -1;
	}
	fprintf(stderr, "no answer names `%s'\n", ref);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: prelink-edit dump|set-answer|lie|checksum|check FILE ...\n");
		return 2;
	}
	size_t size;
	void *buf = read_file(argv[2], &size);
	struct lt_prelink_file f;
	if (!strcmp(argv[1], "dump")) {
		parse_or_die(buf, size, &f);
		dump(&f, argc > 3 && !strcmp(argv[3], "--answers"));
	} else if (!strcmp(argv[1], "set-answer") && argc == 6) {
		parse_or_die(buf, size, &f);
		uint32_t n = strtoul(argv[3], 0, 0);
		if (n >= f.h->nanswers) {
			fprintf(stderr, "there are %u answers\n", f.h->nanswers);
			return 2;
		}
		struct lt_prelink_answer *a = (struct lt_prelink_answer *)f.answers + n;
		a->obj = number(argv[4]);
		a->sym = strtoul(argv[5], 0, 0);
		set_checksum(buf, size);
		write_file(argv[2], buf, size);
	} else if (!strcmp(argv[1], "lie") && argc == 5) {
		parse_or_die(buf, size, &f);
		if (lie(&f, argv[3], argv[4]) < 0)
			return 1;
		set_checksum(buf, size);
		write_file(argv[2], buf, size);
	} else if (!strcmp(argv[1], "checksum") && size >= sizeof(struct lt_prelink_header) &&
		   size % 8 == 0) {
		set_checksum(buf, size);
		write_file(argv[2], buf, size);
	} else if (!strcmp(argv[1], "check")) {
		const char *why;
		if (lt_prelink_parse(buf, size, &f, &why) < 0) {
			printf("%s\n", why);
			return 1;
		}
		printf("ok\n");
	} else {
		fprintf(stderr, "prelink-edit: bad command\n");
		return 2;
	}
	return 0;
}
