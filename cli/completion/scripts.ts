// The scripts `kc completion <shell>` prints. Each asks `kc __complete -- <words…>` on Tab (see complete.ts), so
// commands, flags and environment names follow the kc that is installed, not the one that wrote the script. Its
// stdin is /dev/null: whatever kc runs to list releases cannot take the keys typed at the prompt.

/** Shells kc writes a completion script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# kc completion for bash: source <(kc completion bash)
_kc_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} line paths=
  COMPREPLY=()
  while IFS= read -r line; do
    case $line in
      :files | :dirs) paths=\${line#:} ;;
      '') ;;
      *) [[ $line == "$cur"* ]] && COMPREPLY+=("$line") ;;
    esac
  done < <(kc __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" </dev/null 2>/dev/null)
  if [[ -n $paths ]]; then
    compopt -o filenames 2>/dev/null
    if [[ $paths == dirs ]]; then
      while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -d -- "$cur")
    else
      while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
    fi
  fi
}
complete -F _kc_complete kc
`;

const ZSH = `#compdef kc
# kc completion for zsh: source <(kc completion zsh) after compinit, or save as _kc in a folder of $fpath
_kc() {
  local line paths=
  local -a cands
  for line in "\${(@f)$(kc __complete -- "\${(@)words[2,CURRENT]}" </dev/null 2>/dev/null)}"; do
    case $line in
      :files | :dirs) paths=\${line#:} ;;
      '') ;;
      *) cands+=("$line") ;;
    esac
  done
  (( \${#cands} )) && compadd -- "\${cands[@]}"
  [[ $paths == files ]] && _files
  [[ $paths == dirs ]] && _files -/
  return 0
}
if [[ \${funcstack[1]} == _kc ]]; then
  _kc "$@"
else
  compdef _kc kc
fi
`;

const FISH = `# kc completion for fish: kc completion fish | source
function __kc_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l cur (commandline -ct)
    for line in (kc __complete -- $words "$cur" </dev/null 2>/dev/null)
        switch $line
            case :files
                __fish_complete_path "$cur"
            case :dirs
                __fish_complete_directories "$cur"
            case ''
            case '*'
                echo $line
        end
    end
end
complete -c kc -f -a '(__kc_complete)'
`;

/** The completion script for `shell`. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
