M=(1<<64)-1
def splitmix(x):
    x=(x+0x9e3779b97f4a7c15)&M
    z=x
    z=((z^(z>>30))*0xbf58476d1ce4e5b9)&M
    z=((z^(z>>27))*0x94d049bb133111eb)&M
    return x, z^(z>>31)
def rotl(x,k): return ((x<<k)|(x>>(64-k)))&M
def xo(s):
    r=(rotl((s[1]*5)&M,7)*9)&M
    t=(s[1]<<17)&M
    s[2]^=s[0]; s[3]^=s[1]; s[1]^=s[2]; s[0]^=s[3]; s[2]^=t; s[3]=rotl(s[3],45)
    return r
for seed in (0, 42, 0xdeadbeef):
    x=seed; sm=[]
    for i in range(4):
        x,z=splitmix(x); sm.append(z)
    s=list(sm)
    outs=[xo(s) for _ in range(6)]
    print(seed, [hex(v) for v in sm], [hex(v) for v in outs])
