/*
 * fuzz-replay.h - the main() of a fuzz target built with -DFUZZ_MAIN (any
 * compiler, no libFuzzer): with files named on the command line it runs
 * each once; without, it replays the seed corpus tests/fuzz/corpus/CORPUS
 * under $LEMMA_SRCDIR as a TAP test, one line a file (make check).
 *
 * Include it at the end of the target, after LLVMFuzzerTestOneInput, with
 * CORPUS defined as the corpus folder's name.
 */
#ifndef CORPUS
#error "define CORPUS, the name of the folder under tests/fuzz/corpus"
#endif

#include <dirent.h>

static int
replay(const char *file)
{
	FILE *f = fopen(file, "rb");
	uint8_t *buf;
	long n;
	size_t len;

	if (f == NULL) {
		perror(file);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	len = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	char dir[4096], file[8192], *names[1024];
	const char *src = getenv("LEMMA_SRCDIR");
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (replay(argv[i]) == -1)
				return 1;
		return 0;
	}
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/" CORPUS,
	    src != NULL && *src != '\0' ? src : LEMMA_SRCDIR);
	if ((d = opendir(dir)) == NULL) {
		printf("1..0 # SKIP no corpus at %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL && n < sizeof names / sizeof names[0])
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof file, "%s/%s", dir, names[i]);
		printf("%s %zu - %s\n", replay(file) == 0 ? "ok" : "not ok",
		    i + 1, names[i]);
		free(names[i]);
	}
	return 0;
}
